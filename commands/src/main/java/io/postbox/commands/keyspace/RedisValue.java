package io.postbox.commands.keyspace;

/**
 * A value of one of the non-string types, as TYPE and OBJECT ENCODING name it. Strings are plain
 * {@code byte[]} in a {@link Database} and are not RedisValues.
 */
public interface RedisValue {

    /** The name TYPE replies with: {@code list}, {@code zset}, {@code hash}, ... */
    String type();

    /** The name OBJECT ENCODING replies with, as Redis 7.0 would: {@code quicklist}, {@code skiplist}, ... */
    String encoding();
}
