package io.postbox.server;

import io.postbox.commands.config.Config;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * The run that records the JVM's startup cache: {@code postbox-server} runs it once per build, with
 * the JVM's option to record the cache at exit, before it starts the server from the cache. The cache
 * holds what this run did: the classes it loaded and linked and, on JDK 25 and newer, the method
 * profiles the JIT compiler starts from. So it does what a queue server does when it starts and when
 * it works, in one process:
 *
 * <ol>
 *   <li>it starts empty with the append-only file on, and serves a queue workload of every data type
 *       over a socket, with a background save in the middle of it and a save at the end;</li>
 *   <li>it starts again, loading the append-only file, and serves the workload a while;</li>
 *   <li>it starts again without the append-only file, loading the RDB file, and serves a while.</li>
 * </ol>
 *
 * It fails (and the launcher then starts without a cache) if any reply is an error: a cache recorded
 * from a workload that stopped working would quietly lose what it is for.
 */
public final class StartupTraining {

    /** The delayed queue's "pop what is due" script, as users write it. */
    private static final String POP_DUE = """
            local message = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'WITHSCORES', 'LIMIT', 0, 1)
            if #message > 0 then
              redis.call('ZREM', KEYS[1], message[1])
              return message
            end
            return {}""";

    private static final String LIBRARY = """
            #!lua name=training
            redis.register_function('push_unique', function(keys, args)
              if redis.call('SADD', keys[2], args[1]) == 1 then
                return redis.call('LPUSH', keys[1], args[1])
              end
              return false
            end)""";

    private static final int JOBS_PER_PUSH = 100;

    private StartupTraining() {
    }

    public static void main(String[] args) throws Exception {
        Main.configureNetty();
        Path dir = Files.createTempDirectory("postbox-training");
        try {
            serve(dir, true, false, 1000);
            serve(dir, true, true, 250);
            serve(dir, false, true, 250);
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
        System.exit(0);
    }

    /**
     * One start of the server in {@code dir}; if it {@code loads}, from what the one before left there,
     * in the append-only file or the RDB file as {@code appendOnly} says.
     */
    private static void serve(Path dir, boolean appendOnly, boolean loads, int batches)
            throws IOException, InterruptedException {
        Config config = new Config();
        ConfigFile.apply(config, new String[] {"--port", "0", "--bind", "127.0.0.1", "--dir", dir.toString(),
                "--save", "", "--appendonly", appendOnly ? "yes" : "no", "--loglevel", "warning"});
        ServerLog log = new ServerLog();
        log.level("warning");
        PostboxServer server = new PostboxServer(config, log);
        server.start();
        try (TrainingClient client = new TrainingClient(server.port())) {
            long keys = (Long) client.call("DBSIZE");
            if (loads != keys > 0) {
                throw new IllegalStateException("the training started with " + keys + " keys");
            }
            client.call("CLIENT", "SETNAME", "startup-training");
            client.call("FUNCTION", "LOAD", "REPLACE", LIBRARY);
            String popDue = (String) client.call("SCRIPT", "LOAD", POP_DUE);
            if ((Long) client.call("EXISTS", "events") == 0) {
                client.call("XGROUP", "CREATE", "events", "workers", "$", "MKSTREAM");
            }
            work(client, popDue, 0, batches / 2);
            client.call("BGSAVE");
            work(client, popDue, batches / 2, batches);
            awaitBackgroundSave(client);
            client.call("INFO");
            client.call("SAVE");
        } finally {
            server.close();
        }
    }

    /**
     * Batches of a queue's traffic: producers push jobs, workers move them to a processing list and
     * acknowledge them, a scheduler adds delayed jobs and pops the due ones with a script, job records
     * are hashes, events go to a stream read by a consumer group.
     */
    private static void work(TrainingClient client, String popDue, int from, int to) throws IOException {
        String[] push = new String[JOBS_PER_PUSH + 2];
        push[0] = "LPUSH";
        push[1] = "jobs";
        for (int batch = from; batch < to; batch++) {
            String job = "job:" + batch;
            for (int i = 0; i < JOBS_PER_PUSH; i++) {
                push[i + 2] = job + ":" + i;
            }
            client.send(push);
            client.send("LMOVE", "jobs", "jobs:processing", "RIGHT", "LEFT");
            client.send("LREM", "jobs:processing", "1", job + ":0");
            client.send("BRPOP", "jobs", "1");
            client.send("RPOP", "jobs", "10");
            client.send("LRANGE", "jobs", "0", "9");
            client.send("LLEN", "jobs");
            client.send("FCALL", "push_unique", "2", "unique", "unique:seen", Integer.toString(batch % 1000));
            client.send("ZADD", "delayed", Integer.toString(batch), job,
                    Integer.toString(batch + 1000), job + ":later");
            client.send("EVALSHA", popDue, "1", "delayed", Integer.toString(batch));
            client.send("HSET", job, "state", "queued", "attempts", "0", "payload", "resize img-" + batch);
            client.send("HINCRBY", job, "attempts", "1");
            client.send("HGETALL", job);
            client.send("SADD", "workers", "worker-" + batch % 300);
            client.send("SET", "lock:" + batch % 100, "worker", "PX", "60000");
            client.send("INCR", "processed");
            client.send("XADD", "events", "MAXLEN", "~", "5000", "*", "job", job, "state", "done");
            client.send("XREADGROUP", "GROUP", "workers", "w1", "COUNT", "2", "STREAMS", "events", ">");
            client.send("MULTI");
            client.send("RPUSH", "audit", job);
            client.send("EXPIRE", "audit", "3600");
            client.call("EXEC");
        }
    }

    private static void awaitBackgroundSave(TrainingClient client) throws IOException, InterruptedException {
        while (((String) client.call("INFO", "persistence")).contains("rdb_bgsave_in_progress:1")) {
            Thread.sleep(10);
        }
    }
}
