package io.postbox.it;

import static io.postbox.it.SnapshotPersistenceTest.awaitBgsave;
import static io.postbox.it.SnapshotPersistenceTest.info;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.postbox.it.support.InJvmPostbox;
import io.postbox.it.support.InfoFields;
import io.postbox.it.support.PackagedPostbox;
import io.postbox.it.support.ReferenceRedis;
import io.postbox.it.support.TinyDisk;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisDataException;

/**
 * A disk that fails under the server: full (a small tmpfs, filled), or a directory it may not write
 * (permissions, with the server's root privileges dropped). As Redis 7.0: a failed append-only write
 * refuses writes with {@code MISCONF Errors writing to the AOF file: <reason>} and is retried every
 * second; a failed snapshot refuses writes with the RDB MISCONF while save points are set, and save
 * points retry it; a rewrite that cannot create its file fails at once. Never a crash, never a lost
 * acknowledged write, and the server recovers by itself when the condition clears.
 */
class DiskFaultsTest {

    private static final String PAYLOAD = "x".repeat(1000);

    @TempDir
    Path dir;

    private static InJvmPostbox start(Path data, String... options) {
        List<String> all = new ArrayList<>(List.of("--dir", data.toString()));
        all.addAll(List.of(options));
        return InJvmPostbox.start(all.toArray(new String[0]));
    }

    private static Jedis client(int port) {
        return new Jedis("127.0.0.1", port, 30_000);
    }

    @Test
    void aFullDiskRefusesWritesWithMisconfUntilSpaceReturnsAndLosesNothing() throws Exception {
        List<String> acknowledged = new ArrayList<>();
        try (TinyDisk disk = TinyDisk.mount(dir.resolve("disk"), 4 << 20)) {
            try (InJvmPostbox postbox = start(disk.path(), "--save", "", "--appendonly", "yes",
                    "--appendfsync", "everysec");
                 Jedis jedis = client(postbox.port())) {
                jedis.rpush("q", "before");
                acknowledged.add("before");
                Path filler = disk.fill("filler");
                JedisDataException refused = null;
                for (int i = 0; i < 10_000 && refused == null; i++) {
                    try {
                        jedis.rpush("q", "m" + i + PAYLOAD);
                        acknowledged.add("m" + i + PAYLOAD);
                    } catch (JedisDataException e) {
                        refused = e;
                    }
                }
                assertTrue(refused != null, "writes went on with a full disk");
                assertEquals("MISCONF Errors writing to the AOF file: No space left on device", refused.getMessage());
                assertEquals("err", info(jedis).get("aof_last_write_status"));
                assertEquals(acknowledged.size(), jedis.llen("q"), "reads still run");

                Files.delete(filler);
                awaitWritesAccepted(jedis);
                assertEquals("ok", info(jedis).get("aof_last_write_status"));
                for (int i = 0; i < 10; i++) {
                    jedis.rpush("q", "after" + i);
                    acknowledged.add("after" + i);
                }
            }
            try (InJvmPostbox postbox = start(disk.path(), "--save", "", "--appendonly", "yes");
                 Jedis jedis = client(postbox.port())) {
                assertEquals(acknowledged, jedis.lrange("q", 0, -1), "every acknowledged push, once, in order");
            }
        }
    }

    /**
     * With {@code appendfsync always} a reply leaves only after its write is on disk: a push whose write
     * fails is answered once the disk has room again, and then it is on disk.
     */
    @Test
    void withAppendfsyncAlwaysAPushOnAFullDiskIsAnsweredOnlyOnceItIsOnDisk() throws Exception {
        try (TinyDisk disk = TinyDisk.mount(dir.resolve("disk"), 4 << 20)) {
            try (InJvmPostbox postbox = start(disk.path(), "--save", "", "--appendonly", "yes",
                    "--appendfsync", "always");
                 Jedis jedis = client(postbox.port())) {
                jedis.rpush("q", "before");
                Path filler = disk.fill("filler");
                // Bigger than the room left in the file's last page (a tmpfs allocates whole pages).
                String held = "held" + PAYLOAD.repeat(10);
                CompletableFuture<Long> push = CompletableFuture.supplyAsync(() -> jedis.rpush("q", held));
                Thread.sleep(1500);
                assertFalse(push.isDone(), "the push was answered although its write could not reach the disk");
                Files.delete(filler);
                assertEquals(2, push.get(10, TimeUnit.SECONDS));
            }
            try (InJvmPostbox postbox = start(disk.path(), "--save", "", "--appendonly", "yes");
                 Jedis jedis = client(postbox.port())) {
                assertEquals(List.of("before", "held" + PAYLOAD.repeat(10)), jedis.lrange("q", 0, -1));
            }
        }
    }

    @Test
    void aSnapshotOnAFullDiskRefusesWritesUntilASavePointRetrySucceeds() throws Exception {
        try (TinyDisk disk = TinyDisk.mount(dir.resolve("disk"), 8 << 20);
             InJvmPostbox postbox = start(disk.path(), "--save", "1", "1");
             Jedis jedis = client(postbox.port())) {
            for (int i = 0; i < 1000; i++) {
                jedis.rpush("q", i + PAYLOAD);
            }
            awaitStatus(jedis, "rdb_last_bgsave_status", "ok", "rdb_changes_since_last_save", "0");
            Path filler = disk.fill("filler");
            jedis.set("dirty", "1");
            awaitStatus(jedis, "rdb_last_bgsave_status", "err", "rdb_bgsave_in_progress", "0");
            JedisDataException refused = assertThrows(JedisDataException.class, () -> jedis.set("k", "v"));
            assertTrue(refused.getMessage().startsWith("MISCONF Redis is configured to save RDB snapshots"),
                    refused.getMessage());
            try (Stream<Path> files = Files.list(disk.path())) {
                assertEquals(List.of(), files.filter(f -> f.getFileName().toString().startsWith("temp-")).toList(),
                        "the failed snapshot left its temporary file behind");
            }

            Files.delete(filler);
            awaitStatus(jedis, "rdb_last_bgsave_status", "ok", "rdb_bgsave_in_progress", "0");
            assertEquals("OK", jedis.set("k", "v"));
        }
    }

    /**
     * Automatic rewrites that keep failing (here the temporary base file cannot be created: a directory
     * holds its name) stop after the third failure in a row, as Redis's aofRewriteLimited stops them,
     * instead of adding an incremental file to the manifest at every cron tick. A BGREWRITEAOF by hand
     * is not held back, and its success ends the limit.
     */
    @Test
    void automaticRewritesThatKeepFailingAreHeldBackAsInRedis() throws Exception {
        Path data = Files.createDirectory(dir.resolve("data"));
        PackagedPostbox server = PackagedPostbox.start(data, "--dir", data.toString(), "--save", "",
                "--appendonly", "yes", "--auto-aof-rewrite-percentage", "1", "--auto-aof-rewrite-min-size", "1kb");
        try (Jedis jedis = client(server.port())) {
            String pid = InfoFields.parse(jedis.info("server")).get("process_id");
            Path blocker = Files.createDirectories(data.resolve("appendonlydir/temp-rewriteaof-bg-" + pid + ".aof/x"));
            for (int i = 0; i < 20; i++) {
                jedis.set("k" + i, PAYLOAD);
            }
            String limited = "Background AOF rewrite has repeatedly failed and triggered the limit, "
                    + "will retry in 1 minutes";
            assertTrue(server.awaitLog(limited).contains(limited), server.log());
            Thread.sleep(1000);
            assertEquals("3", info(jedis).get("aof_rewrites_consecutive_failures"), "rewrites went on after the limit");
            assertEquals(3, server.log().split("Background AOF rewrite terminated with error", -1).length - 1);

            Files.delete(blocker);
            Files.delete(blocker.getParent());
            jedis.bgrewriteaof();
            AppendOnlyFileTest.awaitRewrite(jedis);
            assertEquals("ok", info(jedis).get("aof_last_bgrewrite_status"));
            assertEquals("0", info(jedis).get("aof_rewrites_consecutive_failures"));
        } finally {
            server.close();
        }
    }

    /**
     * A directory the server may not write: BGREWRITEAOF fails at once (it cannot create its new
     * incremental file) and writes go on into the current one; BGSAVE fails and MISCONF refuses writes;
     * once the permission is back both work and nothing was lost. As root the server runs with
     * CAP_DAC_OVERRIDE dropped (setpriv), so permissions bind it.
     */
    @Test
    void aDirectoryWithoutWritePermissionFailsSavesAndRewritesButNoWrite() throws Exception {
        List<String> launcher = List.of();
        if ((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid") == 0) {
            Path setpriv = ReferenceRedis.onPath("setpriv");
            Assumptions.assumeTrue(setpriv != null,
                    "permission test skipped: running as root and no setpriv to drop CAP_DAC_OVERRIDE");
            launcher = List.of(setpriv.toString(), "--bounding-set=-dac_override,-dac_read_search");
        }
        Path data = Files.createDirectory(dir.resolve("data"));
        Path aofDir = data.resolve("appendonlydir");
        PackagedPostbox server = PackagedPostbox.start(data, launcher, List.of("-Xmx256m"), "--dir", data.toString(),
                "--appendonly", "yes", "--save", "3600", "1");
        try (Jedis jedis = client(server.port())) {
            jedis.set("a", "1");
            readOnly(data, aofDir, true);
            JedisDataException rewrite = assertThrows(JedisDataException.class, jedis::bgrewriteaof);
            assertEquals("ERR Can't execute an AOF background rewriting. Please check the server logs for more "
                    + "information.", rewrite.getMessage());
            assertEquals("err", info(jedis).get("aof_last_bgrewrite_status"));
            assertEquals("OK", jedis.set("b", "1"), "writes go on into the current incremental file");

            assertEquals("Background saving started", jedis.bgsave());
            awaitBgsave(jedis);
            assertEquals("err", info(jedis).get("rdb_last_bgsave_status"));
            assertTrue(assertThrows(JedisDataException.class, () -> jedis.set("c", "1")).getMessage()
                    .startsWith("MISCONF Redis is configured to save RDB snapshots"));
            String log = server.awaitLog("for saving: Permission denied");
            assertTrue(log.contains("for saving: Permission denied"), log);
            assertTrue(log.contains("Can't open the append-only file appendonly.aof.2.incr.aof: Permission denied"),
                    log);

            readOnly(data, aofDir, false);
            jedis.bgsave();
            awaitBgsave(jedis);
            assertEquals("ok", info(jedis).get("rdb_last_bgsave_status"));
            assertEquals("OK", jedis.set("c", "1"));
            jedis.bgrewriteaof();
            AppendOnlyFileTest.awaitRewrite(jedis);
            assertEquals("ok", info(jedis).get("aof_last_bgrewrite_status"));
            jedis.set("d", "1");
        } finally {
            readOnly(data, aofDir, false);
            server.kill();
        }
        PackagedPostbox restarted = PackagedPostbox.start(data, "--dir", data.toString(), "--appendonly", "yes");
        try (Jedis jedis = client(restarted.port())) {
            assertEquals(List.of("1", "1", "1", "1"), jedis.mget("a", "b", "c", "d"));
        } finally {
            restarted.close();
        }
    }

    private static void readOnly(Path data, Path aofDir, boolean readOnly) throws Exception {
        for (Path path : List.of(data, aofDir)) {
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(readOnly ? "r-xr-xr-x" : "rwxr-xr-x"));
        }
    }

    private static void awaitWritesAccepted(Jedis jedis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 10_000;
        while (true) {
            try {
                jedis.set("probe", "1");
                return;
            } catch (JedisDataException refused) {
                assertTrue(System.currentTimeMillis() < deadline, "writes still refused 10 s after space returned: "
                        + refused.getMessage());
                Thread.sleep(100);
            }
        }
    }

    /** Waits until INFO persistence shows both fields with those values. */
    private static void awaitStatus(Jedis jedis, String field, String value, String other, String otherValue)
            throws InterruptedException {
        long deadline = System.currentTimeMillis() + 20_000;
        while (!(value.equals(info(jedis).get(field)) && otherValue.equals(info(jedis).get(other)))) {
            assertTrue(System.currentTimeMillis() < deadline, "no " + field + ":" + value + " within 20 s: " + info(jedis));
            Thread.sleep(100);
        }
    }
}
