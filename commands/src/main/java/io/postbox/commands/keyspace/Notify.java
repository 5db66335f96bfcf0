package io.postbox.commands.keyspace;

import io.postbox.commands.config.KeyspaceEventsType;

/**
 * The classes of keyspace events, as Redis's NOTIFY_* constants: a write names its class with the
 * event ({@code db.notify(Notify.LIST, "lpush", key)}), and {@code notify-keyspace-events} says
 * which classes are published. The bit values are the configuration option's.
 */
public final class Notify {

    public static final int GENERIC = KeyspaceEventsType.GENERIC;
    public static final int STRING = KeyspaceEventsType.STRING;
    public static final int LIST = KeyspaceEventsType.LIST;
    public static final int SET = KeyspaceEventsType.SET;
    public static final int HASH = KeyspaceEventsType.HASH;
    public static final int ZSET = KeyspaceEventsType.ZSET;
    public static final int STREAM = KeyspaceEventsType.STREAM;
    public static final int EXPIRED = KeyspaceEventsType.EXPIRED;
    public static final int EVICTED = KeyspaceEventsType.EVICTED;
    public static final int KEY_MISS = KeyspaceEventsType.KEY_MISS;
    public static final int NEW = KeyspaceEventsType.NEW;

    private Notify() {
    }
}
