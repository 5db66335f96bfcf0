package io.postbox.commands.zsets;

import io.postbox.commands.Invocation;
import io.postbox.commands.keyspace.Database;
import io.postbox.commands.keyspace.Notify;

/** The end every command that stores a computed sorted set shares: ZRANGESTORE, ZUNIONSTORE, GEOSEARCHSTORE... */
public final class SortedSetStore {

    private SortedSetStore() {
    }

    /**
     * {@code destination} takes the result, whatever it held before (its TTL goes too), or is deleted if
     * the result is empty or null; the reply is the result's size, then comes the keyspace event: the
     * command's {@code event}, or {@code del} if a key was deleted.
     */
    public static void store(Invocation call, byte[] destination, SortedSet result, String event) {
        Database db = call.db();
        if (result != null && result.cardinality() > 0) {
            db.set(destination, result);
            call.reply().integer(result.cardinality());
            db.notify(Notify.ZSET, event, destination);
        } else {
            boolean deleted = db.delete(destination);
            call.reply().integer(0);
            if (deleted) {
                db.notify(Notify.GENERIC, "del", destination);
            }
        }
    }
}
