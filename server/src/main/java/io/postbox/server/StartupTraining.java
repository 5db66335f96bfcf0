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
        try (RespConnection client = new RespConnection(server.port())) {
            long keys = Long.parseLong(((String) call(client, "DBSIZE")).substring(1));
            if (loads != keys > 0) {
                throw new IllegalStateException("the training started with " + keys + " keys");
            }
            call(client, "CLIENT", "SETNAME", "startup-training");
            call(client, "FUNCTION", "LOAD", "REPLACE", LIBRARY);
            String popDue = (String) call(client, "SCRIPT", "LOAD", POP_DUE);
            if (call(client, "EXISTS", "events").equals(":0")) {
                call(client, "XGROUP", "CREATE", "events", "workers", "$", "MKSTREAM");
            }
            work(client, popDue, 0, batches / 2);
            call(client, "BGSAVE");
            work(client, popDue, batches / 2, batches);
            awaitBackgroundSave(client);
            call(client, "INFO");
            call(client, "SAVE");
        } finally {
            server.close();
        }
    }

    /**
     * Batches of a queue's traffic: producers push jobs, workers move them to a processing list and
     * acknowledge them, a scheduler adds delayed jobs and pops the due ones with a script, job records
     * are hashes, events go to a stream read by a consumer group.
     */
    private static void work(RespConnection client, String popDue, int from, int to) throws IOException {
        String[] push = new String[JOBS_PER_PUSH + 2];
        push[0] = "LPUSH";
        push[1] = "jobs";
        for (int batch = from; batch < to; batch++) {
            String job = "job:" + batch;
            for (int i = 0; i < JOBS_PER_PUSH; i++) {
                push[i + 2] = job + ":" + i;
            }
            exchange(client,
                    push,
                    request("LMOVE", "jobs", "jobs:processing", "RIGHT", "LEFT"),
                    request("LREM", "jobs:processing", "1", job + ":0"),
                    request("BRPOP", "jobs", "1"),
                    request("RPOP", "jobs", "10"),
                    request("LRANGE", "jobs", "0", "9"),
                    request("LLEN", "jobs"),
                    request("FCALL", "push_unique", "2", "unique", "unique:seen", Integer.toString(batch % 1000)),
                    request("ZADD", "delayed", Integer.toString(batch), job,
                            Integer.toString(batch + 1000), job + ":later"),
                    request("EVALSHA", popDue, "1", "delayed", Integer.toString(batch)),
                    request("HSET", job, "state", "queued", "attempts", "0", "payload", "resize img-" + batch),
                    request("HINCRBY", job, "attempts", "1"),
                    request("HGETALL", job),
                    request("SADD", "workers", "worker-" + batch % 300),
                    request("SET", "lock:" + batch % 100, "worker", "PX", "60000"),
                    request("INCR", "processed"),
                    request("XADD", "events", "MAXLEN", "~", "5000", "*", "job", job, "state", "done"),
                    request("XREADGROUP", "GROUP", "workers", "w1", "COUNT", "2", "STREAMS", "events", ">"),
                    request("MULTI"),
                    request("RPUSH", "audit", job),
                    request("EXPIRE", "audit", "3600"),
                    request("EXEC"));
        }
    }

    /** Polls INFO as a client does, from this thread: the server's executor never waits here. */
    private static void awaitBackgroundSave(RespConnection client) throws IOException, InterruptedException {
        while (((String) call(client, "INFO", "persistence")).contains("rdb_bgsave_in_progress:1")) {
            Thread.sleep(10);
        }
    }

    private static Object call(RespConnection client, String... request) throws IOException {
        return exchange(client, new String[][] {request});
    }

    private static String[] request(String... args) {
        return args;
    }

    /**
     * Sends the requests, then reads their replies.
     *
     * @return the last reply
     * @throws IOException for an error reply, naming it
     */
    private static Object exchange(RespConnection client, String[]... requests) throws IOException {
        for (String[] request : requests) {
            client.send(request);
        }
        Object reply = null;
        for (int i = 0; i < requests.length; i++) {
            reply = client.read();
            if (reply instanceof String text && text.startsWith("-")) {
                throw new IOException("the server replied " + text);
            }
        }
        return reply;
    }
}
