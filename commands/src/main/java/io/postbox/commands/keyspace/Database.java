package io.postbox.commands.keyspace;

import io.postbox.commands.DumpPayloads;
import io.postbox.commands.Errors;
import io.postbox.commands.Stats;
import io.postbox.commands.blocking.BlockedKeys;
import io.postbox.commands.blocking.ReadyKeys;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * One numbered database: a {@link Dict} of keys to values, and a second dict of the keys that have
 * a time to live, to their expiry time, as Redis keeps {@code db->dict} and {@code db->expires}.
 *
 * <p>Values are {@code byte[]} for strings and {@link TypedValue}s for the other types; a string that
 * APPEND, SETRANGE or a bit command changes in place is a {@link GrowingString} until it is read
 * whole. Keys and values are owned by the database once stored: callers must not change the arrays
 * afterwards, nor does the database (a stored value may be a command's argument that a log or reply
 * still holds).
 *
 * <p>Expiry is lazy and active. Every lookup deletes a key past its expiry time and reports it
 * absent ({@link #get} and friends); {@link DatabasesCron} samples the expires dict to reclaim keys
 * nobody touches. During a pause, reads report such a key absent and leave it stored, and the cron
 * leaves it too: a paused server changes no data. "Now" is the engine's command time, fixed for one
 * command as in Redis.
 *
 * <p>Lookups come in Redis's three flavours: {@link #get} for reading (counts keyspace hits and
 * misses, marks the key accessed), {@link #getForWrite} for commands that will change the key (marks
 * it accessed, no hit/miss), and {@link #getWithoutTouch} for introspection (counts hits and misses,
 * leaves the access clock alone).
 *
 * <p>Every change to a key, by this class or by a command that changes a value in place, ends in
 * {@link #modified}: the one place WATCH hooks into ({@link KeyWatchers}). Changes to the whole
 * database ({@link #clear}, {@link #swapContents}) are the only writes that do not name a key; they
 * tell the watchers before they happen.
 *
 * <p>Keyspace notifications go to {@link KeyspaceEvents}: the events of the database itself
 * ({@code new} when a key is added, {@code expired}, {@code keymiss} when a read misses) come from
 * here; every command that writes names its own event with {@link #notify}, as Redis's commands call
 * notifyKeyspaceEvent.
 *
 * <p>Not thread-safe: only the executor thread touches a database.
 */
public final class Database {

    private final int index;
    private final Clock clock;
    private final Stats stats;
    private final AccessTracking access;
    private final KeyWatchers watchers;
    private final KeyspaceEvents events;
    private Dict<KeyEntry> keys = new Dict<>();
    private Dict<ExpireEntry> expires = new Dict<>();
    /** Where active expiry resumes its walk of {@link #expires}. */
    private long expiryCursor;
    private long changes;
    private long removedByServer;
    private final BlockedKeys blockedKeys;
    private final ExpiryState expiryState;
    /** The snapshots in progress, told before every write (see {@link KeyspaceCut}); usually none. */
    private KeyspaceCut[] cuts = NO_CUTS;
    /** Keys a snapshot load has read and not stored yet, or null when no load is in progress. */
    private LoadBatch loading;
    private static final KeyspaceCut[] NO_CUTS = new KeyspaceCut[0];

    /** A database on its own, whose ready keys nobody serves, that nobody watches and that publishes no events (tests). */
    public Database(int index, Clock clock, Stats stats, AccessTracking access) {
        this(index, clock, stats, access, new ReadyKeys(), KeyWatchers.NONE, KeyspaceEvents.NONE,
                ExpiryState.RUNNING);
    }

    /**
     * A database of an engine: keys that clients wait on are listed in the engine's {@code ready} keys,
     * changes reach the {@code watchers} (WATCH), and keyspace events go to {@code events}; what an
     * expired key becomes depends on the server's {@code expiryState}.
     */
    public Database(int index, Clock clock, Stats stats, AccessTracking access, ReadyKeys ready,
                    KeyWatchers watchers, KeyspaceEvents events, ExpiryState expiryState) {
        this.index = index;
        this.clock = clock;
        this.expiryState = expiryState;
        this.stats = stats;
        this.access = access;
        this.watchers = watchers;
        this.events = events;
        this.blockedKeys = new BlockedKeys(this, ready);
    }

    public int index() {
        return index;
    }

    /* ---------------------------------------------------------------- lookups */

    /** The live value of {@code key}, or null: a read (keyspace hit or miss, marks the key accessed). */
    public Object get(byte[] key) {
        return settled(lookup(key, true, true, false));
    }

    /** The live value of {@code key} if it is a {@code type}, null if absent, WRONGTYPE otherwise. */
    public <T> T get(byte[] key, Class<T> type) {
        return typed(get(key), type);
    }

    /** The live value of a key the command is about to change: marks it accessed, counts no hit or miss. */
    public Object getForWrite(byte[] key) {
        beforeWrite(key);
        return settled(lookup(key, false, true, true));
    }

    public <T> T getForWrite(byte[] key, Class<T> type) {
        return typed(getForWrite(key), type);
    }

    /**
     * The string value of {@code key} as stored, a {@code byte[]} or a {@link GrowingString}, looked up
     * as {@link #get}: for reads of its length or of a part of it (STRLEN, GETRANGE), which need no
     * copy of the whole. Null if absent, WRONGTYPE if not a string.
     */
    public Object getString(byte[] key) {
        return stringOrNull(valueOf(lookup(key, true, true, false)));
    }

    /** As {@link #getString}, looked up as {@link #getForWrite}: for a change in place (APPEND, SETBIT). */
    public Object getStringForWrite(byte[] key) {
        beforeWrite(key);
        return stringOrNull(valueOf(lookup(key, false, true, true)));
    }

    /**
     * The string just read by {@link #getStringForWrite} as a {@link GrowingString}, which the caller
     * changes and then signals with {@link #modified}: a plain array is copied into one, stored in its
     * place, and the key takes the form of a string changed in place ({@link StringForm#RAW}).
     */
    public GrowingString growing(byte[] key, Object string) {
        if (string instanceof GrowingString growing) {
            return growing;
        }
        KeyEntry entry = keys.find(key);
        GrowingString growing = new GrowingString((byte[]) string);
        entry.value = growing;
        entry.form(StringForm.RAW);
        return growing;
    }

    /**
     * Ends a change in place of the string read by {@link #getStringForWrite}: where the key was missing
     * ({@code current} null) stores {@code string} as a new key, else signals the change.
     */
    public void changedInPlace(byte[] key, Object current, GrowingString string) {
        changedInPlace(key, current, string, 1);
    }

    /** {@link #changedInPlace(byte[], Object, GrowingString)}, counting {@code changes} changes. */
    public void changedInPlace(byte[] key, Object current, GrowingString string, long changes) {
        if (current == null) {
            store(key, string, false, StringForm.RAW, changes);
        } else {
            modified(key, changes);
        }
    }

    /** The live value for introspection (TYPE, TTL, OBJECT, EXISTS): counts a hit or miss, no access. */
    public Object getWithoutTouch(byte[] key) {
        return valueOf(lookup(key, true, false, false));
    }

    /** Whether {@code key} is stored, expired or not: looks, deletes nothing (WATCH's bookkeeping). */
    public boolean holds(byte[] key) {
        return keys.find(key) != null;
    }

    /** Whether {@code key} is stored with an expiry time that has passed: looks, deletes nothing. */
    public boolean isExpired(byte[] key) {
        ExpireEntry expiry = expires.size() == 0 ? null : expires.find(key);
        return expiry != null && hasPassed(expiry);
    }

    /** Whether a key's expiry time counts as passed: never while the dataset loads. */
    private boolean hasPassed(ExpireEntry expiry) {
        return expiry.when <= clock.now() && !expiryState.loading();
    }

    /** Whether {@code key} is live, deleting it if it has expired (not during a pause); no statistics, no access. */
    public boolean exists(byte[] key) {
        return lookup(key, false, false, false) != null;
    }

    private KeyEntry lookup(byte[] key, boolean countStats, boolean touch, boolean forWrite) {
        int hash = Dict.hash(key);
        KeyEntry entry = live(key, hash, forWrite);
        if (countStats) {
            if (entry == null) {
                stats.keyspaceMisses++;
                events.notify(this, Notify.KEY_MISS, "keymiss", key);
            } else {
                stats.keyspaceHits++;
            }
        }
        if (entry != null && touch) {
            entry.clock(access.accessed(entry.clock(), clock.now()));
        }
        return entry;
    }

    /** The entry of {@code key} if it exists and has not expired; an expired key is deleted. */
    private KeyEntry live(byte[] key, int hash) {
        return live(key, hash, true);
    }

    /**
     * The entry of {@code key} if it exists and has not expired. An expired key is deleted, but by a
     * read ({@code forWrite} false) during a pause: it then stays stored.
     */
    private KeyEntry live(byte[] key, int hash, boolean forWrite) {
        KeyEntry entry = keys.find(key, hash);
        if (entry != null && expires.size() > 0) {
            ExpireEntry expiry = expires.find(key, hash);
            if (expiry != null && hasPassed(expiry)) {
                if (forWrite || !expiryState.paused()) {
                    deleteExpired(key, hash);
                }
                return null;
            }
        }
        return entry;
    }

    private static Object valueOf(KeyEntry entry) {
        return entry == null ? null : entry.value;
    }

    /** The entry's value, a {@link GrowingString} first turned back into a plain array in its place. */
    private static Object settled(KeyEntry entry) {
        if (entry != null && entry.value instanceof GrowingString growing) {
            entry.value = growing.toBytes();
        }
        return valueOf(entry);
    }

    private static Object stringOrNull(Object value) {
        if (value != null && !(value instanceof byte[]) && !(value instanceof GrowingString)) {
            throw Errors.WRONGTYPE;
        }
        return value;
    }

    private static <T> T typed(Object value, Class<T> type) {
        if (value == null) {
            return null;
        }
        if (!type.isInstance(value)) {
            throw Errors.WRONGTYPE;
        }
        return type.cast(value);
    }

    /* ---------------------------------------------------------------- writes */

    /** Sets the value and drops any expiry, as Redis's setKey does. */
    public void set(byte[] key, Object value) {
        store(key, value, false, StringForm.ENCODED, 1);
    }

    /** {@link #set(byte[], Object)}, counting {@code changes} changes as {@link #modified(byte[], long)} does. */
    public void set(byte[] key, Object value, long changes) {
        store(key, value, false, StringForm.ENCODED, changes);
    }

    /** As {@link #set(byte[], Object)}, for a value written in {@code form} (a string; else ENCODED). */
    public void set(byte[] key, Object value, StringForm form) {
        store(key, value, false, form, 1);
    }

    /** Replaces the value of a key and keeps its expiry (KEEPTTL, in-place updates). */
    public void setKeepTtl(byte[] key, Object value) {
        store(key, value, true, StringForm.ENCODED, 1);
    }

    /** As {@link #setKeepTtl(byte[], Object)}, for a value written in {@code form}. */
    public void setKeepTtl(byte[] key, Object value, StringForm form) {
        store(key, value, true, form, 1);
    }

    private void store(byte[] key, Object value, boolean keepTtl, StringForm form, long changes) {
        int hash = Dict.hash(key);
        beforeWrite(key, hash);
        KeyEntry entry = live(key, hash);
        long now = clock.now();
        if (entry == null) {
            keys.add(new KeyEntry(key, hash, value, access.created(now), form));
            events.notify(this, Notify.NEW, "new", key);
        } else {
            entry.value = value;
            // Redis looks the key up for writing (an access) and the new value inherits that clock.
            entry.clock(access.accessed(entry.clock(), now));
            entry.form(form);
            if (!keepTtl) {
                expires.remove(key, hash);
            }
        }
        modified(key, changes);
    }

    /**
     * Adds the string {@code value} under {@code key} if the key has no live value, as DEBUG POPULATE
     * does: with a {@code new} event, and WATCH sees it, but it is not counted as a change: Redis's
     * dirty counter leaves it out, so save points and rdb_changes_since_last_save do not see it.
     * The value is a built string: {@code embstr} or {@code raw}, never {@code int}.
     *
     * @return whether the key was added
     */
    public boolean populate(byte[] key, byte[] value) {
        if (!addIfMissing(key, value, StringForm.BUILT)) {
            return false;
        }
        watchers.modified(this, key);
        return true;
    }

    /**
     * Adds the string {@code value} under {@code key}, which has no live value, as Redis's bare dbAdd
     * does: with a {@code new} event and nothing else. No change is counted, no WATCH aborted, and nobody
     * woken (a string serves no blocked client). BITFIELD leaves so the string it made for a missing key
     * when all of its writes failed.
     */
    public void addUnsignalled(byte[] key, GrowingString value) {
        addIfMissing(key, value, StringForm.RAW);
    }

    /** Adds {@code value} with a {@code new} event if {@code key} has no live value; whether it did. */
    private boolean addIfMissing(byte[] key, Object value, StringForm form) {
        int hash = Dict.hash(key);
        beforeWrite(key, hash);
        if (live(key, hash) != null) {
            return false;
        }
        keys.add(new KeyEntry(key, hash, value, access.created(clock.now()), form));
        events.notify(this, Notify.NEW, "new", key);
        return true;
    }

    /**
     * Adds a key read from a snapshot, with its expiry ({@code -1}: none), as Redis's dbAddRDBLoad: one
     * lookup, no keyspace event, no change counted, nobody to wake. Keys are stored in batches
     * ({@link LoadBatch}), so a key is readable only once {@link #finishLoading} has run, and a key
     * given twice is found when its batch is stored (the lookup happens then, in table order).
     *
     * @return null, or a key that was given twice (the file is corrupt; some keys of its batch are
     *         then not stored)
     */
    public byte[] addLoaded(byte[] key, Object value, long expireAt) {
        int hash = Dict.hash(key);
        beforeWrite(key, hash);
        if (loading == null) {
            loading = new LoadBatch();
        }
        if (!loading.add(new KeyEntry(key, hash, value, access.created(clock.now()), StringForm.ENCODED), expireAt)) {
            return null;
        }
        return loading.storeInto(keys, expires);
    }

    /** Stores the keys {@link #addLoaded} holds back; returns a key given twice, or null. */
    public byte[] finishLoading() {
        if (loading == null) {
            return null;
        }
        byte[] duplicate = loading.storeInto(keys, expires);
        loading = null;
        return duplicate;
    }

    /** Deletes a live key; false if there was none (an expired key counts as none). */
    public boolean delete(byte[] key) {
        return delete(key, 1);
    }

    /** {@link #delete(byte[])}, counting {@code changes} changes as {@link #modified(byte[], long)} does. */
    public boolean delete(byte[] key, long changes) {
        int hash = Dict.hash(key);
        beforeWrite(key, hash);
        if (live(key, hash) == null) {
            return false;
        }
        keys.remove(key, hash);
        expires.remove(key, hash);
        modified(key, changes);
        return true;
    }

    /**
     * Deletes a live key to make room under maxmemory ({@link EvictionPool} chose it): a deletion like
     * DEL's, counted as evicted and published as the {@code evicted} event instead.
     */
    public void evict(byte[] key) {
        stats.evictedKeys++;
        removeAs(key, Dict.hash(key), Notify.EVICTED, "evicted");
    }

    /** Expiry time in Unix milliseconds, or -1 if the key has none. */
    public long expireAt(byte[] key) {
        ExpireEntry expiry = expires.find(key);
        return expiry == null ? -1 : expiry.when;
    }

    /** Sets the expiry of an existing key, in Unix milliseconds. */
    public void expireAt(byte[] key, long unixMillis) {
        expireAt(key, unixMillis, 1);
    }

    /**
     * {@link #expireAt(byte[], long)}, counting {@code changes} changes: none for the expiry of a key the
     * same command stored (SET with EX, RESTORE, COPY), which Redis counts as the one change of storing it.
     */
    public void expireAt(byte[] key, long unixMillis, long changes) {
        int hash = Dict.hash(key);
        beforeWrite(key, hash);
        ExpireEntry expiry = expires.find(key, hash);
        if (expiry != null) {
            expiry.when = unixMillis;
        } else {
            KeyEntry entry = keys.find(key, hash);
            if (entry == null) {
                throw new IllegalStateException("expiry set on a missing key");
            }
            expires.add(new ExpireEntry(entry.key, hash, unixMillis));
        }
        expiryState.expirySet(this, key);
        modified(key, changes);
    }

    /** Removes the expiry; true if there was one. */
    public boolean persist(byte[] key) {
        beforeWrite(key);
        if (expires.remove(key) == null) {
            return false;
        }
        modified(key);
        return true;
    }

    /**
     * Moves the live {@code key} with its value, access clock and expiry to {@code targetKey} in
     * {@code target} (this database or another), replacing whatever {@code targetKey} held: RENAME
     * and MOVE. The caller has checked that {@code key} is live.
     */
    public void move(byte[] key, Database target, byte[] targetKey) {
        int hash = Dict.hash(key);
        int targetHash = Dict.hash(targetKey);
        beforeWrite(key, hash);
        target.beforeWrite(targetKey, targetHash);
        KeyEntry entry = keys.remove(key, hash);
        ExpireEntry expiry = expires.remove(key, hash);
        // One change for the move, as Redis counts it: the target's, below.
        modified(key, 0);
        target.keys.remove(targetKey, targetHash);
        target.expires.remove(targetKey, targetHash);
        target.keys.add(new KeyEntry(targetKey, targetHash, entry.value, entry.clock(), entry.form()));
        target.events.notify(target, Notify.NEW, "new", targetKey);
        if (expiry != null) {
            target.expires.add(new ExpireEntry(targetKey, targetHash, expiry.when));
            expiryState.expirySet(target, targetKey);
        }
        target.modified(targetKey);
    }

    /**
     * Signals that {@code key} changed. Every write of this class ends here, and so must a command
     * that changes a value in place (pushing to a list it got from {@link #getForWrite}). A key that
     * clients are blocked on becomes ready, to be served after the command.
     */
    public void modified(byte[] key) {
        modified(key, 1);
    }

    /**
     * {@link #modified(byte[])}, counting {@code changes} changes (0 too) where Redis's dirty counter
     * counts other than one for the command: each element a push adds or a pop removes, one for a
     * move between keys.
     */
    public void modified(byte[] key, long changes) {
        this.changes += changes;
        watchers.modified(this, key);
        blockedKeys.signal(key);
    }

    /**
     * Counts changes that Redis counts in its dirty counter without signalling a key: consumer-group
     * bookkeeping (XACK, XREADGROUP, XCLAIM, XGROUP), and the elements beyond the first of a write that
     * stored or deleted its key. The append-only file records the command; WATCH and blocked clients do
     * not see it. The caller got the value with {@link #getForWrite}.
     */
    public void countChanges(long changes) {
        this.changes += changes;
    }

    /**
     * Publishes the keyspace event {@code event} of class {@code eventClass} ({@link Notify}) about
     * {@code key}, if notify-keyspace-events asks for that class: what every writing command calls
     * once its change is made, with Redis's event name ({@code set}, {@code lpush}, {@code del}, ...).
     */
    public void notify(int eventClass, String event, byte[] key) {
        events.notify(this, eventClass, event, key);
    }

    /** The clients blocked on keys of this database (BLPOP and friends). */
    public BlockedKeys blockedKeys() {
        return blockedKeys;
    }

    /**
     * The point before every change of {@code key}, as {@link #modified} is the point after: a
     * snapshot in progress saves the key's old value here.
     */
    private void beforeWrite(byte[] key, int hash) {
        for (KeyspaceCut cut : cuts) {
            cut.beforeWrite(keys, key, hash);
        }
    }

    private void beforeWrite(byte[] key) {
        if (cuts.length > 0) {
            beforeWrite(key, Dict.hash(key));
        }
    }

    void addCut(KeyspaceCut cut) {
        cuts = java.util.Arrays.copyOf(cuts, cuts.length + 1);
        cuts[cuts.length - 1] = cut;
    }

    void removeCut(KeyspaceCut cut) {
        cuts = java.util.Arrays.stream(cuts).filter(c -> c != cut).toArray(KeyspaceCut[]::new);
    }

    Dict<KeyEntry> keysDict() {
        return keys;
    }

    Dict<ExpireEntry> expiresDict() {
        return expires;
    }

    /**
     * The changes writes counted ({@link #modified(byte[], long)}), and keys FLUSHDB removed: Redis's
     * "dirty" count, which save points and INFO's rdb_changes_since_last_save read.
     */
    public long changes() {
        return changes;
    }

    /** Keys the server removed on its own account (expiry, eviction), which {@link #changes} leaves out. */
    public long removedByServer() {
        return removedByServer;
    }

    /* ---------------------------------------------------------------- whole database */

    /** Keys stored, including expired keys not yet reclaimed (as Redis's DBSIZE counts them). */
    public int size() {
        return keys.size();
    }

    public int expiresSize() {
        return expires.size();
    }

    /** Sizes an empty database's tables for {@code keys} keys, {@code withExpiry} of them with a TTL (loading a snapshot). */
    public void reserve(int keys, int withExpiry) {
        this.keys.reserve(keys);
        expires.reserve(withExpiry);
    }

    /**
     * Empties the database. The old tables are simply dropped for the collector: O(1) here. Every key
     * someone waits on is signalled, as Redis's signalFlushedDb does, so that a blocked XREADGROUP
     * learns that its stream is gone; list and sorted-set waiters go on waiting.
     */
    public void clear() {
        changes += keys.size();
        watchers.emptying(this, null);
        blockedKeys.signalAll();
        keys = new Dict<>();
        expires = new Dict<>();
        expiryCursor = 0;
    }

    /** SWAPDB: this database takes the other's keys and the other takes ours; indexes stay. */
    public void swapContents(Database other) {
        changes++;
        watchers.emptying(this, other);
        watchers.emptying(other, this);
        Dict<KeyEntry> otherKeys = other.keys;
        Dict<ExpireEntry> otherExpires = other.expires;
        long otherCursor = other.expiryCursor;
        other.keys = keys;
        other.expires = expires;
        other.expiryCursor = expiryCursor;
        keys = otherKeys;
        expires = otherExpires;
        expiryCursor = otherCursor;
    }

    /** A random live key, or null if there is none; expired keys met on the way are deleted. */
    public byte[] randomKey() {
        while (true) {
            KeyEntry entry = keys.fairRandom();
            if (entry == null) {
                return null;
            }
            if (live(entry.key, entry.hash) != null) {
                return entry.key;
            }
        }
    }

    /** Visits every key that has not expired (KEYS); expired keys are skipped, not deleted. */
    public void forEachLiveKey(Consumer<byte[]> visitor) {
        long now = clock.now();
        boolean anyExpiry = expires.size() > 0;
        keys.forEach(entry -> {
            if (anyExpiry) {
                ExpireEntry expiry = expires.find(entry.key, entry.hash);
                if (expiry != null && expiry.when <= now) {
                    return;
                }
            }
            visitor.accept(entry.key);
        });
    }

    /** Visits every stored key and its value, expired or not, deleting nothing (DEBUG DIGEST). */
    public void forEachStored(BiConsumer<byte[], Object> visitor) {
        keys.forEach(entry -> visitor.accept(entry.key, settled(entry)));
    }

    /** The value stored under {@code key}, expired or not, or null: looks, deletes nothing (DEBUG DIGEST-VALUE). */
    public Object stored(byte[] key) {
        return settled(keys.find(key));
    }

    /** DEBUG OBJECT: Redis's line about the value stored under {@code key}, expired or not, or null. */
    public String describe(byte[] key, DumpPayloads payloads) {
        KeyEntry entry = keys.find(key);
        if (entry == null) {
            return null;
        }
        settled(entry);
        return ObjectDescription.of(entry, idleSeconds(entry), payloads);
    }

    /**
     * One step of SCAN: visits the keys of the bucket(s) at {@code cursor}, expired or not, and
     * returns the next cursor (0 when done). See {@link Dict#scan} for the guarantee.
     */
    public long scan(long cursor, Consumer<byte[]> visitor) {
        return keys.scan(cursor, entry -> visitor.accept(entry.key));
    }

    /* ---------------------------------------------------------------- introspection */

    /** True under an LFU maxmemory-policy: keys then carry an access counter instead of an access time. */
    public boolean tracksFrequency() {
        return access.lfu();
    }

    /** OBJECT IDLETIME of a live key (the caller looked it up). */
    public long idleSeconds(byte[] key) {
        return idleSeconds(keys.find(key));
    }

    long idleSeconds(KeyEntry entry) {
        return access.idleSeconds(entry.clock(), clock.now());
    }

    /** OBJECT FREQ of a live key (the caller looked it up). */
    public int frequency(byte[] key) {
        return frequency(keys.find(key));
    }

    int frequency(KeyEntry entry) {
        return access.frequency(entry.clock(), clock.now());
    }

    /** Sets the access clock of a live key RESTORE made ({@link AccessTracking#restored}). */
    void restoreAccess(byte[] key, long idleSeconds, int frequency) {
        KeyEntry entry = keys.find(key);
        entry.clock(access.restored(entry.clock(), idleSeconds, frequency, clock.now()));
    }

    /** How the string value of a live key was last written (the caller looked it up). */
    StringForm stringForm(byte[] key) {
        return keys.find(key).form();
    }

    /** OBJECT ENCODING of a live key (the caller looked it up). */
    public String encoding(byte[] key) {
        return encoding(keys.find(key));
    }

    static String encoding(KeyEntry entry) {
        return entry.value instanceof byte[] bytes ? entry.form().encoding(bytes) : ((TypedValue) entry.value).encoding();
    }

    /** OBJECT REFCOUNT of a live key (the caller looked it up). */
    long refcount(byte[] key) {
        return refcount(keys.find(key));
    }

    static long refcount(KeyEntry entry) {
        return entry.value instanceof byte[] bytes ? entry.form().refcount(bytes) : 1;
    }

    /**
     * MEMORY USAGE: estimated heap bytes of a live key, its value and its share of the tables, or
     * -1 if the key does not exist.
     */
    public long memoryUsage(byte[] key, long samples) {
        int hash = Dict.hash(key);
        KeyEntry entry = live(key, hash);
        if (entry == null) {
            return -1;
        }
        long bytes = ObjectSizes.DICT_ENTRY + ObjectSizes.REFERENCE + ObjectSizes.byteArray(key.length)
                + TypedValue.memoryUsage(entry.value, samples);
        if (expires.find(key, hash) != null) {
            bytes += ObjectSizes.DICT_ENTRY + ObjectSizes.REFERENCE;
        }
        return bytes;
    }

    /** Bytes of the keys (or expires) dict's own structure: its buckets and entries (MEMORY STATS). */
    public long overheadBytes(boolean ofExpires) {
        Dict<?> dict = ofExpires ? expires : keys;
        return (long) dict.buckets() * ObjectSizes.REFERENCE + (long) dict.size() * ObjectSizes.DICT_ENTRY;
    }

    /* ---------------------------------------------------------------- expiry and upkeep */

    private void deleteExpired(byte[] key, int hash) {
        stats.expiredKeys++;
        removeAs(key, hash, Notify.EXPIRED, "expired");
    }

    /**
     * Removes a stored key on the server's own account (expiry, eviction), published as {@code event}.
     * Signalled, but not counted as a change: Redis's dirty counter leaves these out.
     */
    private void removeAs(byte[] key, int hash, int eventClass, String event) {
        beforeWrite(key, hash);
        keys.remove(key, hash);
        expires.remove(key, hash);
        events.notify(this, eventClass, event, key);
        removedByServer++;
        modified(key, 0);
    }

    /**
     * A writable replica's cron ({@link ReplicaExpiries}): deletes {@code key} as expired if it has an
     * expiry time and it has passed; true if it has one still to come.
     */
    boolean expiresLater(byte[] key) {
        int hash = Dict.hash(key);
        ExpireEntry expiry = expires.find(key, hash);
        if (expiry == null) {
            return false;
        }
        if (expiry.when > clock.now()) {
            return true;
        }
        deleteExpired(key, hash);
        return false;
    }

    /**
     * One sampling round of active expiry: walks buckets of the expires dict from where the last
     * round stopped until {@code wanted} keys with a TTL have been looked at or {@code maxBuckets}
     * buckets visited, deleting the expired ones. Reports each key to {@code round}.
     */
    void sampleExpires(int wanted, int maxBuckets, ActiveExpiry round) {
        long now = clock.now();
        List<ExpireEntry> bucket = new ArrayList<>();
        int sampled = 0;
        for (int buckets = 0; sampled < wanted && buckets < maxBuckets; buckets++) {
            bucket.clear();
            expiryCursor = expires.scan(expiryCursor, bucket::add);
            for (ExpireEntry expiry : bucket) {
                boolean expired = expiry.when <= now;
                if (expired) {
                    deleteExpired(expiry.key, expiry.hash);
                }
                round.sampled(expired);
                sampled++;
            }
        }
    }

    /**
     * The cron's incremental-rehash time slice: rehashes the keys dict (else the expires dict) for
     * about {@code millis} if it is resizing, or starts a due shrink. True if a rehash is under way.
     */
    boolean rehashFor(long millis) {
        return keys.rehashFor(millis) || expires.rehashFor(millis);
    }
}
