package io.postbox.it.support;

import static io.postbox.it.support.Await.awaitTrue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Transaction;
import redis.clients.jedis.args.ListDirection;
import redis.clients.jedis.params.SetParams;

/**
 * The writes of a queue's life on a master, for the replication tests: every kind a replica must
 * follow (a reliable queue's LMOVE and LREM, the delayed queue's script, a transaction, expiry, a
 * BRPOP served later, writes in other databases).
 */
public final class QueueWrites {

    private QueueWrites() {
    }

    /** Messages, a delayed job, a job hash, a lock with a TTL, and a set in database 2. */
    public static void fill(Jedis master) {
        master.rpush("queue", "m1", "m2", "m3");
        master.zadd("delayed", 100, "j1");
        master.hset("job:1", "state", "new");
        master.psetex("lock", 600_000, "owner");
        master.select(2);
        master.sadd("workers", "w1", "w2");
        master.select(0);
    }

    /**
     * After {@link #fill}: every kind of write, one after the other; a consumer on {@code masterPort}
     * blocks in BRPOP and is served. Leaves "brief", which expires 50 ms after it is set.
     */
    public static void everyKind(Jedis master, int masterPort) throws Exception {
        master.lmove("queue", "processing", ListDirection.RIGHT, ListDirection.LEFT);
        master.lrem("processing", 1, "m3");
        master.zadd("delayed", 50, "j0");
        master.eval("local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, 1) "
                + "if #due > 0 then redis.call('ZREM', KEYS[1], due[1]) redis.call('LPUSH', KEYS[2], due[1]) end "
                + "return due", List.of("delayed", "queue"), List.of("75"));
        Transaction multi = master.multi();
        multi.incrByFloat("counter", 1.5);
        multi.expire("job:1", 1000);
        multi.spop("workers-0");
        multi.exec();
        master.set("brief", "x", SetParams.setParams().px(50));
        try (Jedis consumer = new Jedis("127.0.0.1", masterPort)) {
            CompletableFuture<List<String>> popped = CompletableFuture.supplyAsync(() -> consumer.brpop(10, "jobs"));
            awaitTrue(() -> InfoFields.parse(master.info("clients")).get("blocked_clients").equals("1"),
                    "the consumer blocked");
            master.lpush("jobs", "job-a", "job-b");
            assertEquals(List.of("jobs", "job-a"), popped.get(10, TimeUnit.SECONDS));
        }
        master.select(5);
        master.set("elsewhere", "v");
        master.select(0);
    }
}
