package io.postbox.commands.keyspace;

/**
 * Who is told that keys changed, for WATCH and client-side caching (Redis's signalModifiedKey and
 * touchAllWatchedKeysInDb).
 * Called after a key changed, and before a whole database is emptied or exchanged.
 */
public interface KeyWatchers {

    KeyWatchers NONE = new KeyWatchers() {
        @Override
        public void modified(Database db, byte[] key) {
        }

        @Override
        public void emptying(Database db, Database replacement) {
        }
    };

    /** {@code key} of {@code db} has just changed (written, deleted, expired). */
    void modified(Database db, byte[] key);

    /**
     * {@code db} is about to lose all its keys (FLUSHDB, FLUSHALL: {@code replacement} is null) or to
     * take those of {@code replacement} (SWAPDB).
     */
    void emptying(Database db, Database replacement);

    /** These watchers, then {@code next}. */
    default KeyWatchers andThen(KeyWatchers next) {
        KeyWatchers first = this;
        return new KeyWatchers() {
            @Override
            public void modified(Database db, byte[] key) {
                first.modified(db, key);
                next.modified(db, key);
            }

            @Override
            public void emptying(Database db, Database replacement) {
                first.emptying(db, replacement);
                next.emptying(db, replacement);
            }
        };
    }
}
