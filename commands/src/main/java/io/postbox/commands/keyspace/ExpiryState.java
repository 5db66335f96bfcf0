package io.postbox.commands.keyspace;

/**
 * The server states that change what becomes of a key whose expiry time has passed, as Redis's
 * keyIsExpired and expireIfNeeded decide it.
 */
public interface ExpiryState {

    /**
     * While the dataset loads nothing expires: a command replayed from the append-only file meets its
     * keys as they were when it was written, and keys loaded past their time go once the load is over.
     */
    boolean loading();

    /** During a pause an expired key reads as gone but stays stored, so that no deletion is logged. */
    boolean paused();

    /** Neither loading nor paused. */
    ExpiryState RUNNING = new ExpiryState() {
        @Override
        public boolean loading() {
            return false;
        }

        @Override
        public boolean paused() {
            return false;
        }
    };
}
