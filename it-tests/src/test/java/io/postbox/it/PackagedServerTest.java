package io.postbox.it;

import static io.postbox.it.SnapshotPersistenceTest.command;
import static io.postbox.it.SnapshotPersistenceTest.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.postbox.it.support.PackagedPostbox;
import io.postbox.it.support.RedisServerProcess;
import io.postbox.it.support.Subprocess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.IntPredicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import redis.clients.jedis.Jedis;

/** The jar users run: it starts like redis-server, logs where it listens, and exits cleanly on SIGTERM. */
class PackagedServerTest {

    private static final int SIGINT = 2;

    @Test
    void startsServesAndShutsDownOnSigterm(@TempDir Path dir) throws Exception {
        try (PackagedPostbox server = PackagedPostbox.start(dir)) {
            try (Jedis jedis = new Jedis("127.0.0.1", server.port())) {
                assertEquals("OK", jedis.set("k", "v"));
                assertEquals("v", jedis.get("k"));
            }
            String startup = server.awaitLog("Ready to accept connections");
            assertTrue(startup.contains("port=" + server.port()), startup);
            assertTrue(startup.contains("pid=" + server.pid()), startup);
            assertTrue(startup.contains("Ready to accept connections"), startup);
            assertEquals(0, server.terminate());
            assertTrue(server.log().contains("ready to exit"), server.log());
        }
    }

    /**
     * Ctrl-C pressed again while the final save runs: the process ends at once, with status 1, leaving
     * no temporary file and no dump.rdb ("You insist... exiting now."), side by side with redis-server.
     */
    @Test
    void aSecondSigintDuringTheFinalSaveExitsAtOnceAndRemovesTheTemporaryFile(@TempDir Path dir) throws Exception {
        Path postboxDir = Files.createDirectories(dir.resolve("postbox"));
        try (PackagedPostbox server = PackagedPostbox.start(postboxDir, "--shutdown-on-sigint", "save")) {
            assumeSigintHandled(server);
            interruptTwiceDuringTheFinalSave(server.port(), server.pid(), postboxDir, server::awaitExit);
            assertTrue(server.log().contains("You insist... exiting now."), server.log());
        }
        Path redisDir = Files.createDirectories(dir.resolve("redis"));
        try (RedisServerProcess redis = RedisServerProcess.start(redisDir, "--shutdown-on-sigint", "save")) {
            interruptTwiceDuringTheFinalSave(redis.port(), redis.pid(), redisDir, redis::awaitExit);
            String log = Files.readString(redisDir.resolve("redis.log"));
            assertTrue(log.contains("You insist... exiting now."), log);
        }
    }

    /**
     * CONFIG SET oom-score-adj moves the process's own OOM score, read from /proc, as redis-server's
     * moves: relative to the score it had, absolute, back to that score when switched off.
     */
    @Test
    void oomScoreAdjMovesTheProcessScoreAsRedisDoes(@TempDir Path dir) throws Exception {
        List<String> expected = List.of("31", "37", "15", "22", "24");
        try (PackagedPostbox server = PackagedPostbox.start(Files.createDirectories(dir.resolve("postbox")))) {
            assertEquals(expected, oomScoresThroughConfigSet(server.port(), server.pid()));
        }
        try (RedisServerProcess redis = RedisServerProcess.start(Files.createDirectories(dir.resolve("redis")))) {
            assertEquals(expected, oomScoresThroughConfigSet(redis.port(), redis.pid()));
        }
    }

    /** The scores process {@code pid} has after each step, from a score of 22 set from outside. */
    private static List<String> oomScoresThroughConfigSet(int port, long pid) throws IOException {
        Path score = Path.of("/proc/" + pid + "/oom_score_adj");
        Files.writeString(score, "22");
        List<String> scores = new ArrayList<>();
        try (Jedis jedis = new Jedis("127.0.0.1", port)) {
            jedis.configSet("oom-score-adj-values", "9 9 9", "oom-score-adj", "yes");
            scores.add(Files.readString(score).trim());
            jedis.configSet("oom-score-adj-values", "15 20 30");
            scores.add(Files.readString(score).trim());
            jedis.configSet("oom-score-adj", "absolute");
            scores.add(Files.readString(score).trim());
            jedis.configSet("oom-score-adj", "no");
            scores.add(Files.readString(score).trim());
            // Switched off, the values no longer touch the score.
            Files.writeString(score, "24");
            jedis.configSet("oom-score-adj-values", "1 1 1");
            scores.add(Files.readString(score).trim());
        }
        return scores;
    }

    /** DEBUG LOG writes its message to the server log, at warning level, as redis-server writes it. */
    @Test
    void debugLogWritesItsMessageToTheLogAsRedisDoes(@TempDir Path dir) throws Exception {
        String line = "# DEBUG LOG: a marker for the operator";
        Path postboxDir = Files.createDirectories(dir.resolve("postbox"));
        try (PackagedPostbox server = PackagedPostbox.start(postboxDir, "--enable-debug-command", "local");
             Jedis jedis = new Jedis("127.0.0.1", server.port())) {
            assertEquals("OK", text(jedis.sendCommand(command("DEBUG"), "LOG", "a marker for the operator")));
            assertTrue(server.awaitLog(line).contains(line), server.log());
        }
        Path redisDir = Files.createDirectories(dir.resolve("redis"));
        try (RedisServerProcess redis = RedisServerProcess.start(redisDir);
             Jedis jedis = new Jedis("127.0.0.1", redis.port())) {
            assertEquals("OK", text(jedis.sendCommand(command("DEBUG"), "LOG", "a marker for the operator")));
            String log = Files.readString(redisDir.resolve("redis.log"));
            assertTrue(log.contains(line), log);
        }
    }

    /** What a process's exit is awaited through: its exit code, or -1 if it still runs after {@code seconds}. */
    private interface ExitWait {
        int awaitExit(int seconds) throws InterruptedException;
    }

    /** SIGINT, then SIGINT again while the save the first one started runs: the process must end at once. */
    private static void interruptTwiceDuringTheFinalSave(int port, long pid, Path dir, ExitWait exit)
            throws Exception {
        try (Jedis jedis = new Jedis("127.0.0.1", port)) {
            for (int i = 0; i < 20; i++) {
                jedis.set("key:" + i, "value");
            }
            // A final save of 20 s: it is still running when the second SIGINT comes.
            jedis.configSet("rdb-key-save-delay", "1000000");
        }
        signal(pid, "INT");
        Path temporary = awaitTemporaryFile(dir, pid);
        signal(pid, "INT");
        assertEquals(1, exit.awaitExit(10));
        assertFalse(Files.exists(temporary), temporary + " left behind");
        assertFalse(Files.exists(dir.resolve("dump.rdb")));
    }

    /** A parent that ignores SIGINT, as a shell without job control does for its background jobs. */
    private static final List<String> IGNORING_SIGINT = List.of("sh", "-c", "trap '' INT; exec \"$@\"", "sh");

    /**
     * Started with java -jar and SIGINT ignored, which the JVM cannot undo, the server says so: Ctrl-C
     * and kill -INT will not stop it, where redis-server would stop.
     */
    @Test
    void aServerStartedWithSigintIgnoredSaysItWillNotStopOnIt(@TempDir Path dir) throws Exception {
        try (PackagedPostbox server = PackagedPostbox.start(dir, IGNORING_SIGINT, List.of(), "--save", "")) {
            assertTrue(server.ignoresSignal(SIGINT));
            assertTrue(server.log().contains("SIGINT is ignored by this process"), server.log());
            assertFalse(server.log().contains("SIGTERM is ignored"), server.log());
        }
    }

    /** Started through the launcher, it stops on SIGINT as redis-server does, whatever its parent ignored. */
    @Test
    void theLauncherGivesTheServerBackASigintItsParentIgnored(@TempDir Path dir) throws Exception {
        assumeTrue(Subprocess.run(List.of("env", "--default-signal=INT", "true"), null, 10).exitCode() == 0,
                "this env has no --default-signal (GNU coreutils 8.31+): the launcher cannot restore SIGINT here");
        Path jar = copyOfTheJar(dir);
        Path javaHome = Path.of(System.getProperty("java.home"));
        try (PackagedPostbox server = PackagedPostbox.startWithLauncher(dir, IGNORING_SIGINT, javaHome, jar, Map.of(),
                "--save", "")) {
            assertFalse(server.ignoresSignal(SIGINT));
            signal(server.pid(), "INT");
            assertEquals(0, server.awaitExit(30));
            assertTrue(server.log().contains("Received SIGINT scheduling shutdown"), server.log());
            assertFalse(server.log().contains("is ignored by this process"), server.log());
        }
    }

    /** A signal's shutdown that was refused (its save failed) is over: the next SIGINT tries again, no more. */
    @Test
    void aSigintAfterARefusedShutdownTriesAgainRatherThanExiting(@TempDir Path dir) throws Exception {
        try (PackagedPostbox server = PackagedPostbox.start(dir)) {
            assumeSigintHandled(server);
            // A directory where dump.rdb goes: the final save cannot rename its file into place.
            Files.createDirectory(dir.resolve("dump.rdb"));
            try (Jedis jedis = new Jedis("127.0.0.1", server.port())) {
                jedis.set("k", "v");
                for (int attempt = 1; attempt <= 2; attempt++) {
                    signal(server.pid(), "INT");
                    String refused = "SIGINT received but errors trying to shut down the server";
                    String log = server.awaitLog(refused, attempt);
                    assertEquals(attempt, PackagedPostbox.occurrences(log, refused), log);
                    assertEquals("PONG", jedis.ping());
                }
            }
            assertFalse(server.log().contains("You insist"), server.log());
            // SIGTERM, which closing sends, would be refused too.
            server.kill();
        }
    }

    private static void assumeSigintHandled(PackagedPostbox server) throws IOException {
        assumeFalse(server.ignoresSignal(SIGINT), "the server ignores SIGINT, as inherited from the test's JVM "
                + "(started in the background by a shell without job control): nothing to try");
    }

    /** Sends signal {@code name} ({@code INT}, {@code TERM}) to process {@code pid} with kill(1), as a user would. */
    private static void signal(long pid, String name) throws IOException, InterruptedException {
        Subprocess.Result sent = Subprocess.run(List.of("kill", "-" + name, Long.toString(pid)), null, 10);
        assertEquals(0, sent.exitCode(), "kill -" + name + ": " + sent.output());
    }

    /** The temporary file of the save process {@code pid} runs (temp-pid.rdb, temp-pid-n.rdb), once it exists. */
    private static Path awaitTemporaryFile(Path dir, long pid) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            try (Stream<Path> files = Files.list(dir)) {
                Optional<Path> temporary = files
                        .filter(file -> file.getFileName().toString().startsWith("temp-" + pid)).findFirst();
                if (temporary.isPresent()) {
                    return temporary.get();
                }
            }
            Thread.sleep(10);
        }
        throw new AssertionError("no temporary file in " + dir + " 10 s after SIGINT");
    }

    /**
     * The launcher's startup cache, a class-data archive up to JDK 24 and an AOT cache from JDK 25 on:
     * recorded by the training run before the first start after a build, and used from then on.
     */
    @ParameterizedTest
    @ValueSource(strings = {"postbox.jsa", "postbox.aot"})
    void theLauncherRecordsAStartupCacheOncePerBuildAndStartsFromIt(String cacheName, @TempDir Path dir)
            throws Exception {
        Path javaHome = jdkRecording(cacheName);
        Path jar = copyOfTheJar(dir);
        for (boolean first : new boolean[] {true, false}) {
            try (PackagedPostbox server = PackagedPostbox.startWithLauncher(dir, javaHome, jar, Map.of(),
                    "--save", "")) {
                try (Jedis jedis = new Jedis("127.0.0.1", server.port())) {
                    assertEquals("OK", jedis.set("k", "v"));
                }
                String maps = Files.readString(Path.of("/proc/" + server.pid() + "/maps"));
                assertTrue(maps.contains(cacheName), cacheName + " is not mapped");
                assertEquals(0, server.terminate());
                String log = server.log();
                assertEquals(first, log.contains("Recording the JVM's startup cache"), log);
                assertFalse(log.contains("WARNING") || log.contains("without a startup cache"), log);
            }
        }
    }

    /**
     * Every method the server runs is left to the JIT compiler, whichever startup cache it starts from.
     * An archive that the training JVM dumps as it exits ({@code -XX:ArchiveClassesAtExit}) keeps, on
     * JDK 17, the mark of each method whose compilation was still queued then (JDK-8306460): the
     * compiler takes such a method for queued from the start and never compiles it. With
     * {@code -XX:+PrintTieredEvents} the JIT reports each method every 128 calls with its status; a
     * method marked so reports "in-queue" every time, where a method that really waits for its
     * compilation first reports the event that queued it.
     */
    @ParameterizedTest
    @ValueSource(strings = {"postbox.jsa", "postbox.aot"})
    void noMethodComesOutOfTheStartupCacheMarkedAsQueuedForCompilation(String cacheName, @TempDir Path dir)
            throws Exception {
        Path javaHome = jdkRecording(cacheName);
        Path jar = copyOfTheJar(dir);
        Map<String, String> environment = Map.of("JAVA_OPTS", "-XX:+PrintTieredEvents");
        try (PackagedPostbox server = PackagedPostbox.startWithLauncher(dir, javaHome, jar, environment,
                "--save", "")) {
            try (Jedis jedis = new Jedis("127.0.0.1", server.port())) {
                for (int i = 0; i < 5_000; i++) {
                    jedis.lpush("queue", "job-" + i);
                    assertEquals("job-" + i, jedis.rpop("queue"));
                    jedis.get("missing");
                }
            }
            assertEquals(0, server.terminate());
            Map<String, List<String>> statuses = new TreeMap<>();
            Matcher event = Pattern.compile("\\[(?:call|loop) level=\\d \\[([^\\s(]+)\\(.* status=([\\w-]+)")
                    .matcher(server.log());
            while (event.find()) {
                statuses.computeIfAbsent(event.group(1), method -> new ArrayList<>()).add(event.group(2));
            }
            assertTrue(statuses.keySet().stream().anyMatch(method -> method.startsWith("io.postbox.")),
                    "no JIT events logged for the server's methods");
            List<String> neverCompiled = statuses.entrySet().stream()
                    .filter(method -> method.getValue().size() >= 5
                            && method.getValue().stream().allMatch("in-queue"::equals))
                    .map(Map.Entry::getKey)
                    .toList();
            assertEquals(List.of(), neverCompiled);
        }
    }

    @Test
    void aTrainingThatFailsSaysWhyAndTheServerStartsWithoutACacheUntilTheNextBuild(@TempDir Path dir)
            throws Exception {
        Path jar = copyOfTheJar(dir);
        // The training's data directory goes in the temporary directory, which here cannot exist: its parent
        // is a file.
        Path aFile = Files.createFile(dir.resolve("a-file"));
        Map<String, String> environment = Map.of("JAVA_OPTS", "-Djava.io.tmpdir=" + aFile.resolve("tmp"));
        Path javaHome = Path.of(System.getProperty("java.home"));
        for (int start = 0; start < 3; start++) {
            boolean trains = start != 1;
            if (start == 2) {
                // A new build: its jar is newer than the failed training's mark.
                Files.setLastModifiedTime(jar, FileTime.from(Instant.now()));
            }
            try (PackagedPostbox server = PackagedPostbox.startWithLauncher(dir, javaHome, jar, environment,
                    "--save", "")) {
                try (Jedis jedis = new Jedis("127.0.0.1", server.port())) {
                    assertEquals("OK", jedis.set("k", "v"));
                }
                assertEquals(0, server.terminate());
                String log = server.log();
                assertEquals(trains, log.contains("Not a directory")
                        && log.contains("Starting without a startup cache, until the next build."), log);
                assertEquals(trains, log.contains("Recording the JVM's startup cache"), log);
            }
            try (Stream<Path> files = Files.list(dir)) {
                assertEquals(List.of(), files.filter(file -> file.toString().matches(".*\\.(jsa|aot)")).toList());
            }
        }
    }

    /** The packaged jar, copied into {@code dir}: the launcher records its startup cache beside it. */
    private static Path copyOfTheJar(Path dir) throws IOException {
        Path jar = dir.resolve("postbox.jar");
        Files.copy(Path.of(System.getProperty("postbox.jar")), jar);
        return jar;
    }

    /** A JDK whose launcher records {@code cacheName}: JDK 25 or newer for an AOT cache, older for an archive. */
    private static Path jdkRecording(String cacheName) throws IOException {
        boolean aot = cacheName.endsWith(".aot");
        Optional<Path> javaHome = jdk(aot ? feature -> feature >= 25 : feature -> feature < 25);
        assumeTrue(javaHome.isPresent(), "no JDK " + (aot ? "25 or newer" : "older than 25")
                + " as java.home or under /usr/lib/jvm: the launcher's " + cacheName + " is not tried");
        return javaHome.get();
    }

    /** This test run's JDK if its feature release matches, else the first under /usr/lib/jvm that does. */
    private static Optional<Path> jdk(IntPredicate feature) throws IOException {
        List<Path> homes = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"))));
        Path installed = Path.of("/usr/lib/jvm");
        if (Files.isDirectory(installed)) {
            try (Stream<Path> listed = Files.list(installed)) {
                listed.sorted().forEach(homes::add);
            }
        }
        for (Path home : homes) {
            Path release = home.resolve("release");
            if (Files.isExecutable(home.resolve("bin/java")) && Files.isReadable(release)) {
                Matcher version = Pattern.compile("(?m)^JAVA_VERSION=\"(\\d+)").matcher(Files.readString(release));
                if (version.find() && feature.test(Integer.parseInt(version.group(1)))) {
                    return Optional.of(home);
                }
            }
        }
        return Optional.empty();
    }
}
