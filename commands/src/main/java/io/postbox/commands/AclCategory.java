package io.postbox.commands;

/** ACL categories in Redis's bit order, which is the order {@code COMMAND INFO} lists them in. */
public enum AclCategory {
    KEYSPACE, READ, WRITE, SET, SORTEDSET, LIST, HASH, STRING, BITMAP, HYPERLOGLOG, GEO, STREAM,
    PUBSUB, ADMIN, FAST, SLOW, BLOCKING, DANGEROUS, CONNECTION, TRANSACTION, SCRIPTING;

    /** {@code @read}, {@code @sortedset}, ... */
    public String wireName() {
        return "@" + name().toLowerCase(java.util.Locale.ROOT);
    }

    /** The category called {@code name} (without the '@', in any case), or null if there is none. */
    public static AclCategory named(String name) {
        for (AclCategory category : values()) {
            if (category.name().equalsIgnoreCase(name)) {
                return category;
            }
        }
        return null;
    }
}
