package io.postbox.commands.keyspace;

/**
 * The server states that change what becomes of a key whose expiry time has passed, as Redis's
 * keyIsExpired and expireIfNeeded decide it.
 */
public interface ExpiryState {

    /**
     * While the dataset loads nothing expires: a command replayed from the append-only file meets its
     * keys as they were when it was written, and keys loaded past their time go once the load is over.
     * Nor while a command of the master this server follows runs: it meets its keys as the master had them.
     */
    boolean loading();

    /**
     * During a pause, and on a replica, an expired key reads as gone but stays stored, so that no
     * deletion is logged; a replica's master sends the deletion.
     */
    boolean paused();

    /**
     * A command gave {@code key} in {@code db} an expiry time. A writable replica expires the keys its
     * own clients gave one itself, since its master sends no deletion for them ({@link ReplicaExpiries}).
     */
    void expirySet(Database db, byte[] key);

    /** Neither loading nor paused, nor a replica. */
    ExpiryState RUNNING = new ExpiryState() {
        @Override
        public boolean loading() {
            return false;
        }

        @Override
        public boolean paused() {
            return false;
        }

        @Override
        public void expirySet(Database db, byte[] key) {
        }
    };
}
