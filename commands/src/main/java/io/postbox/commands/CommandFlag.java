package io.postbox.commands;

/**
 * Command flags, in the order Redis 7 lists them in {@code COMMAND INFO}; {@link #wireName()} is the
 * status string a client sees there.
 *
 * <p>At most 64 of them: a {@link Command} keeps its flags as the bits of a long.
 */
public enum CommandFlag {
    WRITE("write"),
    READONLY("readonly"),
    DENYOOM("denyoom"),
    MODULE("module"),
    ADMIN("admin"),
    PUBSUB("pubsub"),
    NOSCRIPT("noscript"),
    BLOCKING("blocking"),
    LOADING("loading"),
    STALE("stale"),
    SKIP_MONITOR("skip_monitor"),
    SKIP_SLOWLOG("skip_slowlog"),
    ASKING("asking"),
    FAST("fast"),
    NO_AUTH("no_auth"),
    MAY_REPLICATE("may_replicate"),
    NO_MANDATORY_KEYS("no_mandatory_keys"),
    NO_ASYNC_LOADING("no_async_loading"),
    NO_MULTI("no_multi"),
    MOVABLE_KEYS("movablekeys"),
    ALLOW_BUSY("allow_busy");

    private final String wireName;

    CommandFlag(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    /** This flag's bit in a set of flags kept as a long ({@link Command#flagsOf}). */
    public long bit() {
        return 1L << ordinal();
    }

    /** Whether {@code flags}, a set kept as bits, holds this flag. */
    public boolean in(long flags) {
        return (flags & bit()) != 0;
    }
}
