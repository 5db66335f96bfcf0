package io.postbox.commands.keyspace;

import io.postbox.commands.Errors;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.Map;

/**
 * One numbered database: keys to values, and keys to expiry times.
 *
 * <p>Values are {@code byte[]} for strings and the type classes for the other types. Every read
 * goes through lazy expiry: a key past its expiry time is deleted on access and never returned.
 * "Now" is the engine's command time, fixed for the duration of one command as in Redis.
 *
 * <p>Not thread-safe: only the executor thread touches a database.
 */
public final class Database {

    private final int index;
    private final Clock clock;
    private Map<ByteBuffer, Object> values = new HashMap<>();
    private Map<ByteBuffer, Long> expires = new HashMap<>();

    public Database(int index, Clock clock) {
        this.index = index;
        this.clock = clock;
    }

    public int index() {
        return index;
    }

    /** The live value of {@code key}, or null. */
    public Object get(byte[] key) {
        ByteBuffer k = ByteBuffer.wrap(key);
        if (expireIfNeeded(k)) {
            return null;
        }
        return values.get(k);
    }

    /** The live value of {@code key} if it is a {@code type}, null if absent, WRONGTYPE otherwise. */
    public <T> T get(byte[] key, Class<T> type) {
        Object value = get(key);
        if (value == null) {
            return null;
        }
        if (!type.isInstance(value)) {
            throw Errors.WRONGTYPE;
        }
        return type.cast(value);
    }

    public boolean exists(byte[] key) {
        return get(key) != null;
    }

    /** Sets the value and drops any expiry, as Redis's setKey does. */
    public void set(byte[] key, Object value) {
        ByteBuffer k = ByteBuffer.wrap(key);
        values.put(k, value);
        expires.remove(k);
    }

    /** Replaces the value of a key and keeps its expiry (KEEPTTL, in-place updates). */
    public void setKeepTtl(byte[] key, Object value) {
        values.put(ByteBuffer.wrap(key), value);
    }

    public boolean delete(byte[] key) {
        ByteBuffer k = ByteBuffer.wrap(key);
        if (expireIfNeeded(k)) {
            return false;
        }
        expires.remove(k);
        return values.remove(k) != null;
    }

    /** Expiry time in Unix milliseconds, or -1 if the key has none. The key must exist. */
    public long expireAt(byte[] key) {
        Long when = expires.get(ByteBuffer.wrap(key));
        return when == null ? -1 : when;
    }

    /** Sets the expiry of an existing key. */
    public void expireAt(byte[] key, long unixMillis) {
        expires.put(ByteBuffer.wrap(key), unixMillis);
    }

    /** Removes the expiry; true if there was one. */
    public boolean persist(byte[] key) {
        return expires.remove(ByteBuffer.wrap(key)) != null;
    }

    public int size() {
        return values.size();
    }

    public int expiresSize() {
        return expires.size();
    }

    public void clear() {
        values.clear();
        expires.clear();
    }

    /** SWAPDB: this database takes the other's keys and the other takes ours; indexes stay. */
    public void swapContents(Database other) {
        Map<ByteBuffer, Object> otherValues = other.values;
        Map<ByteBuffer, Long> otherExpires = other.expires;
        other.values = values;
        other.expires = expires;
        values = otherValues;
        expires = otherExpires;
    }

    private boolean expireIfNeeded(ByteBuffer key) {
        Long when = expires.get(key);
        if (when == null || when > clock.now()) {
            return false;
        }
        expires.remove(key);
        values.remove(key);
        return true;
    }
}
