package io.postbox.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.postbox.it.support.InJvmPostboxExtension;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

/**
 * Hashes and sets as a job registry, the way RQ-style frameworks use them: producers describe each job
 * in a hash and add its id to a "queued" set; workers claim ids with SPOP (so no two workers get the
 * same job), move them between "running" and "done" sets with SMOVE, and record results and counters
 * in hashes. Several Jedis clients run at once, and every job must end done exactly once.
 */
class JobRegistryTest {

    private static final int PRODUCERS = 2;
    private static final int JOBS_PER_PRODUCER = 300;
    private static final int WORKERS = 3;
    private static final int JOBS = PRODUCERS * JOBS_PER_PRODUCER;

    @RegisterExtension
    final InJvmPostboxExtension postbox = new InJvmPostboxExtension();

    @Test
    void everyJobIsClaimedByOneWorkerAndEndsDoneOnce() throws Exception {
        Map<String, String> claimedBy = new ConcurrentHashMap<>();
        List<String> doubleClaims = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(PRODUCERS + WORKERS);
        try {
            List<Future<?>> tasks = new ArrayList<>();
            for (int p = 0; p < PRODUCERS; p++) {
                int producer = p;
                tasks.add(pool.submit(() -> produce(producer)));
            }
            for (int w = 0; w < WORKERS; w++) {
                String worker = "worker-" + w;
                tasks.add(pool.submit(() -> work(worker, claimedBy, doubleClaims)));
            }
            for (Future<?> task : tasks) {
                task.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }

        assertTrue(doubleClaims.isEmpty(), "jobs claimed twice: " + doubleClaims);
        assertEquals(JOBS, claimedBy.size());
        try (Jedis redis = client()) {
            assertEquals(0, redis.scard("jobs:queued"));
            assertEquals(0, redis.scard("jobs:running"));
            assertEquals(JOBS, redis.scard("jobs:done"));
            assertFalse(redis.exists("jobs:queued"), "an emptied set is no key");
            assertEquals(claimedBy.keySet(), redis.smembers("jobs:done"));
            for (String id : claimedBy.keySet()) {
                Map<String, String> job = redis.hgetAll("job:" + id);
                assertEquals("done", job.get("status"), id);
                assertEquals("1", job.get("attempts"), id);
                assertEquals(claimedBy.get(id), job.get("worker"), id);
                assertEquals(job.get("payload").toUpperCase(), job.get("result"), id);
                assertEquals(5, job.size(), id + " has status, payload, attempts, worker, result: " + job);
            }
            long counted = 0;
            for (String worker : redis.smembers("workers")) {
                counted += Long.parseLong(redis.hget("stats", worker));
                assertTrue(redis.sismember("workers:finished", worker));
            }
            assertEquals(JOBS, counted, "the workers' counters add up to every job");
            assertEquals(WORKERS, redis.hlen("stats"));
            assertTrue(redis.sdiff("workers", "workers:finished").isEmpty());
            assertEquals(WORKERS, redis.sintercard("workers", "workers:finished"));
        }
    }

    @Test
    void aLargeRegistryCanBeWalkedWithScans() {
        try (Jedis redis = client()) {
            Set<String> ids = new HashSet<>();
            for (int i = 0; i < 2000; i++) {
                String id = "job-" + i;
                ids.add(id);
                redis.sadd("registry", id);
                redis.hset("index", id, Integer.toString(i));
            }
            assertEquals("hashtable", redis.objectEncoding("registry"));
            assertEquals("hashtable", redis.objectEncoding("index"));
            Set<String> scanned = new HashSet<>();
            String cursor = ScanParams.SCAN_POINTER_START;
            do {
                ScanResult<String> page = redis.sscan("registry", cursor, new ScanParams().count(50));
                scanned.addAll(page.getResult());
                cursor = page.getCursor();
            } while (!cursor.equals(ScanParams.SCAN_POINTER_START));
            assertEquals(ids, scanned);
            Set<String> fields = new HashSet<>();
            cursor = ScanParams.SCAN_POINTER_START;
            do {
                ScanResult<Map.Entry<String, String>> page =
                        redis.hscan("index", cursor, new ScanParams().count(50).match("job-1*"));
                for (Map.Entry<String, String> entry : page.getResult()) {
                    assertEquals(entry.getKey(), "job-" + entry.getValue());
                    fields.add(entry.getKey());
                }
                cursor = page.getCursor();
            } while (!cursor.equals(ScanParams.SCAN_POINTER_START));
            assertEquals(1111, fields.size(), "job-1, job-10..19, job-100..199, job-1000..1999");
            assertNull(redis.hget("index", "job-2000"));
        }
    }

    private void produce(int producer) {
        try (Jedis redis = client()) {
            for (int i = 0; i < JOBS_PER_PRODUCER; i++) {
                String id = producer + ":" + i;
                redis.hset("job:" + id, Map.of("status", "queued", "payload", "task " + id));
                redis.sadd("jobs:queued", id);
            }
            redis.incr("producers:finished");
        }
    }

    /** Claims jobs until the producers are finished and the queue is empty. */
    private void work(String worker, Map<String, String> claimedBy, List<String> doubleClaims) {
        try (Jedis redis = client()) {
            redis.sadd("workers", worker);
            redis.hset("stats", worker, "0");
            while (true) {
                String id = redis.spop("jobs:queued");
                if (id == null) {
                    if (producersFinished(redis) && redis.scard("jobs:queued") == 0) {
                        break;
                    }
                    Thread.onSpinWait();
                    continue;
                }
                if (claimedBy.putIfAbsent(id, worker) != null) {
                    synchronized (doubleClaims) {
                        doubleClaims.add(id);
                    }
                }
                String job = "job:" + id;
                redis.sadd("jobs:running", id);
                redis.hset(job, Map.of("status", "running", "worker", worker));
                redis.hincrBy(job, "attempts", 1);
                String payload = redis.hget(job, "payload");
                redis.hset(job, Map.of("status", "done", "result", payload.toUpperCase()));
                if (redis.smove("jobs:running", "jobs:done", id) != 1) {
                    throw new IllegalStateException(id + " was not in jobs:running");
                }
                redis.hincrBy("stats", worker, 1);
            }
            redis.sadd("workers:finished", worker);
        }
    }

    private static boolean producersFinished(Jedis redis) {
        String finished = redis.get("producers:finished");
        return finished != null && Integer.parseInt(finished) == PRODUCERS;
    }

    private Jedis client() {
        return new Jedis("127.0.0.1", postbox.port());
    }
}
