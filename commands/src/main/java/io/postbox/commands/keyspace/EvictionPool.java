package io.postbox.commands.keyspace;

import java.util.Arrays;

/**
 * Which key to evict next under a maxmemory-policy, chosen as Redis's evict.c chooses: not the best
 * key of the whole keyspace, which would take a sorted index of every key, but the best of samples.
 * For the LRU, LFU and TTL policies each pick samples {@code maxmemory-samples} keys of every database
 * (all keys, or only those with a TTL for the volatile policies) into a pool of the 16 most evictable
 * keys seen so far, kept across picks, and takes the most evictable one that is still there. The random
 * policies take a random key, from the databases in turn. Executor thread only.
 */
public final class EvictionPool {

    private static final int SIZE = 16;

    /** A key to evict and its database. */
    public record Victim(Database db, byte[] key) {
    }

    private record Candidate(long evictability, Database db, byte[] key) {
    }

    private final Database[] databases;
    private final Candidate[] pool = new Candidate[SIZE];
    /** Candidates in the pool, least evictable first. */
    private int size;
    /** Where the random policies start looking next. */
    private int nextDatabase;

    public EvictionPool(Database[] databases) {
        this.databases = databases.clone();
    }

    /** The next key {@code policy} evicts, sampling {@code samples} keys a database; null if it has none to evict. */
    public Victim pick(String policy, int samples) {
        boolean volatileOnly = policy.startsWith("volatile-");
        return policy.endsWith("-random") ? random(volatileOnly) : best(policy, volatileOnly, samples);
    }

    private Victim random(boolean volatileOnly) {
        for (int i = 0; i < databases.length; i++) {
            Database db = databases[nextDatabase];
            nextDatabase = (nextDatabase + 1) % databases.length;
            Dict.Entry entry = volatileOnly ? db.expiresDict().random() : db.keysDict().random();
            if (entry != null) {
                return new Victim(db, entry.key);
            }
        }
        return null;
    }

    private Victim best(String policy, boolean volatileOnly, int samples) {
        boolean any = false;
        for (Database db : databases) {
            Dict<? extends Dict.Entry> dict = volatileOnly ? db.expiresDict() : db.keysDict();
            // maxmemory-samples goes up to 2^31-1: a small database is covered by far fewer draws (with
            // replacement), as Redis's dictGetSomeKeys takes no more keys than there are.
            int draws = (int) Math.min(samples, 16L * dict.size());
            any |= draws > 0;
            for (int i = 0; i < draws; i++) {
                Dict.Entry sampled = dict.random();
                offer(new Candidate(evictability(policy, db, sampled), db, sampled.key));
            }
        }
        if (!any) {
            size = 0;
            return null;
        }
        while (size > 0) {
            Candidate best = pool[--size];
            pool[size] = null;
            if (volatileOnly ? best.db().expiresDict().find(best.key()) != null : best.db().holds(best.key())) {
                return new Victim(best.db(), best.key());
            }
        }
        return null;
    }

    /**
     * How much rather a sampled key goes: sooner expiry for TTL (volatile-ttl samples the expires dict,
     * whose entry holds it), idle seconds for LRU, less accessed for LFU (kept with the key itself).
     */
    private static long evictability(String policy, Database db, Dict.Entry sampled) {
        if (policy.endsWith("-ttl")) {
            return Long.MAX_VALUE - ((ExpireEntry) sampled).when;
        }
        KeyEntry key = sampled instanceof KeyEntry k ? k : db.keysDict().find(sampled.key, sampled.hash);
        return policy.endsWith("-lfu") ? 255 - db.frequency(key) : db.idleSeconds(key);
    }

    /** Adds {@code candidate} in order unless the pool is full of more evictable keys, or has it already. */
    private void offer(Candidate candidate) {
        for (int i = 0; i < size; i++) {
            if (pool[i].db() == candidate.db() && Arrays.equals(pool[i].key(), candidate.key())) {
                return;
            }
        }
        int at = 0;
        while (at < size && pool[at].evictability() < candidate.evictability()) {
            at++;
        }
        if (size == SIZE) {
            if (at == 0) {
                return;
            }
            // Full: the least evictable makes way, and the ones below the new place move down.
            System.arraycopy(pool, 1, pool, 0, at - 1);
            pool[at - 1] = candidate;
            return;
        }
        System.arraycopy(pool, at, pool, at + 1, size - at);
        pool[at] = candidate;
        size++;
    }
}
