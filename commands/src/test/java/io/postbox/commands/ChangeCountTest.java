package io.postbox.commands;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.postbox.commands.config.Config;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The change counter behind save points and INFO's rdb_changes_since_last_save counts what Redis's
 * dirty counter counts: each element a write adds, sets or removes, one for a move between keys, none
 * for a write that changed nothing, nor for keys the server expires. Expected counts are Redis 7.0.15's;
 * ChangeCountSideBySideTest (it-tests) compares many more with a reference Redis.
 */
class ChangeCountTest {

    private Engine engine;
    private Dispatcher dispatcher;
    private TestClient client;

    @BeforeEach
    void start() {
        engine = new Engine(new Config(), Commands.groups());
        dispatcher = new Dispatcher(engine);
        client = new TestClient(engine);
    }

    private void run(String... args) {
        dispatcher.dispatch(client, TestClient.request(args));
        String reply = client.replies();
        if (reply.startsWith("-")) {
            throw new AssertionError(String.join(" ", args) + " replied " + reply);
        }
    }

    /** The changes {@code command} counts. */
    private long changes(String... command) {
        long before = engine.changes();
        run(command);
        return engine.changes() - before;
    }

    @Test
    void queuePushesAndPopsCountEachElement() {
        assertEquals(3, changes("lpush", "jobs", "a", "b", "c"));
        assertEquals(2, changes("rpushx", "jobs", "d", "e"));
        assertEquals(0, changes("lpushx", "missing", "a"));
        assertEquals(1, changes("rpop", "jobs"));
        assertEquals(2, changes("lpop", "jobs", "2"));
        assertEquals(2, changes("rpop", "jobs", "10"), "the two left, and the list with them");
    }

    @Test
    void aMoveBetweenListsIsOneChange() {
        run("rpush", "jobs", "a", "b");
        assertEquals(1, changes("lmove", "jobs", "processing", "RIGHT", "LEFT"));
        assertEquals(1, changes("rpoplpush", "processing", "processing"));
        assertEquals(1, changes("lmove", "jobs", "processing", "LEFT", "LEFT"), "emptying the source");
    }

    @Test
    void acknowledgingAndTrimmingCountWhatTheyRemove() {
        run("rpush", "processing", "a", "b", "a", "c", "a");
        assertEquals(3, changes("lrem", "processing", "0", "a"));
        assertEquals(0, changes("lrem", "processing", "0", "a"));
        assertEquals(0, changes("ltrim", "processing", "0", "-1"));
        assertEquals(1, changes("ltrim", "processing", "0", "0"));
    }

    @Test
    void hashesSetsAndSortedSetsCountEachMemberChanged() {
        assertEquals(3, changes("hset", "job", "state", "queued", "tries", "0", "payload", "x"));
        assertEquals(2, changes("hset", "job", "state", "running", "worker", "w1"), "set again or new, each counts");
        assertEquals(2, changes("hdel", "job", "state", "worker", "missing"));
        assertEquals(3, changes("sadd", "seen", "a", "b", "c"));
        assertEquals(1, changes("sadd", "seen", "a", "d"));
        assertEquals(2, changes("srem", "seen", "a", "b", "missing"));
        assertEquals(2, changes("spop", "seen", "5"));
        assertEquals(3, changes("zadd", "due", "1", "a", "2", "b", "3", "c"));
        assertEquals(0, changes("zadd", "due", "1", "a"));
        assertEquals(2, changes("zadd", "due", "5", "a", "4", "d"), "one updated, one added");
        assertEquals(2, changes("zpopmin", "due", "2"));
        assertEquals(0, changes("zpopmin", "due", "0"));
        assertEquals(2, changes("zremrangebyrank", "due", "0", "-1"));
    }

    @Test
    void streamsCountEntriesAndAcknowledgements() {
        assertEquals(1, changes("xadd", "events", "1-1", "f", "v"));
        run("xadd", "events", "2-1", "f", "v");
        run("xadd", "events", "3-1", "f", "v");
        run("xgroup", "create", "events", "workers", "0");
        run("xreadgroup", "group", "workers", "w1", "streams", "events", ">");
        assertEquals(2, changes("xack", "events", "workers", "1-1", "2-1", "9-1"));
        assertEquals(2, changes("xdel", "events", "1-1", "2-1"));
        assertEquals(1, changes("xadd", "events", "MAXLEN", "1", "4-1", "f", "v"));
    }

    @Test
    void keysMovedAreOneChange() {
        run("set", "lock", "w1");
        assertEquals(1, changes("rename", "lock", "lock:old"));
        assertEquals(1, changes("move", "lock:old", "1"));
    }

    @Test
    void aKeyStoredWithItsExpiryIsOneChange() {
        assertEquals(1, changes("set", "lock", "w1", "PX", "30000"));
        assertEquals(1, changes("setex", "lease", "30", "w1"));
        assertEquals(1, changes("copy", "lock", "lease", "REPLACE"), "replacing a key with a TTL");
        assertEquals(1, changes("expire", "lock", "60"));
        assertEquals(1, changes("xgroup", "create", "events", "workers", "$", "MKSTREAM"));
    }

    @Test
    void bitWritesThatChangeNothingCountNothing() {
        assertEquals(1, changes("setbit", "flags", "7", "1"));
        assertEquals(0, changes("setbit", "flags", "7", "1"));
        assertEquals(1, changes("setbit", "flags", "15", "0"), "the string grew");
        assertEquals(0, changes("bitfield", "flags", "SET", "u8", "0", "1"));
        assertEquals(2, changes("bitfield", "flags", "SET", "u8", "0", "255", "SET", "u8", "16", "0"));
        assertEquals(0, changes("bitfield", "flags", "OVERFLOW", "FAIL", "INCRBY", "u8", "0", "1"));
    }

    @Test
    void hyperLogLogsSortsAndScriptsCountLikeTheirParts() {
        assertEquals(4, changes("pfadd", "visitors", "a", "b", "c"), "the new key and three registers");
        assertEquals(0, changes("pfadd", "visitors", "a"));
        run("rpush", "ids", "3", "1", "2");
        assertEquals(3, changes("sort", "ids", "STORE", "sorted"));
        assertEquals(3, changes("eval", "return redis.call('lpush', KEYS[1], 'a', 'b', 'c')", "1", "fromscript"));
    }
}
