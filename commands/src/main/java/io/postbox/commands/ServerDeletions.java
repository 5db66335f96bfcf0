package io.postbox.commands;

import io.postbox.commands.config.ConfigOption;
import io.postbox.commands.keyspace.Database;
import io.postbox.commands.keyspace.KeyspaceEvents;
import io.postbox.commands.keyspace.Notify;

/**
 * The keyspace events of an engine's databases, passed on to be published, with the deletions the
 * server makes on its own account (a key that expired, one evicted under maxmemory) also recorded in
 * the command log, as Redis propagates them: {@code DEL key}, or {@code UNLINK key} where
 * lazyfree-lazy-expire (lazyfree-lazy-eviction) is on. Redis expires no key while it loads an
 * append-only file, so without the record a replay would find an expired key's old value: a command
 * that wrote the key again after it expired would then fail or act on it.
 */
final class ServerDeletions implements KeyspaceEvents {

    private final Engine engine;
    private final KeyspaceEvents published;
    private final ConfigOption<Boolean> lazyExpire;
    private final ConfigOption<Boolean> lazyEviction;

    ServerDeletions(Engine engine, KeyspaceEvents published) {
        this.engine = engine;
        this.published = published;
        this.lazyExpire = engine.config().option("lazyfree-lazy-expire");
        this.lazyEviction = engine.config().option("lazyfree-lazy-eviction");
    }

    @Override
    public void notify(Database db, int eventClass, String event, byte[] key) {
        if (eventClass == Notify.EXPIRED || eventClass == Notify.EVICTED) {
            boolean lazy = (eventClass == Notify.EXPIRED ? lazyExpire : lazyEviction).value();
            engine.commandLog().written(db, CommandLog.deletion(key, lazy));
        }
        published.notify(db, eventClass, event, key);
    }
}
