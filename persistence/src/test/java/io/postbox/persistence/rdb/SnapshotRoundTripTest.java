package io.postbox.persistence.rdb;

import static io.postbox.persistence.rdb.Keyspaces.bytes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.postbox.commands.Engine;
import io.postbox.commands.keyspace.Database;
import io.postbox.commands.keyspace.GrowingString;
import io.postbox.commands.hashes.HashLimits;
import io.postbox.commands.hashes.HashValue;
import io.postbox.commands.lists.PackedList;
import io.postbox.commands.sets.SetValue;
import io.postbox.commands.zsets.SortedSet;
import io.postbox.commands.zsets.SortedSetLoader;
import io.postbox.commands.keyspace.KeyspaceCut;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SnapshotRoundTripTest {

    @Test
    void randomKeyspaceRoundTripsWithAndWithoutCompression() throws IOException {
        for (boolean compression : new boolean[] {true, false}) {
            Engine engine = Keyspaces.engine();
            fill(engine, new Random(compression ? 1 : 2), 1000);
            Map<String, String> before = Keyspaces.contents(engine);
            byte[] file = Keyspaces.snapshot(engine, compression, true, () -> { });
            Engine loaded = Keyspaces.engine();
            SnapshotReader.Result result = Keyspaces.load(loaded, file);
            assertEquals(before, Keyspaces.contents(loaded));
            assertEquals(before.size(), result.keysLoaded());
            assertEquals("7.0.15", result.aux().get("redis-ver"));
        }
    }

    @Test
    void aParseStartedBeforeTheEngineExistsStoresTheSameKeys() throws IOException {
        Engine engine = Keyspaces.engine();
        fill(engine, new Random(3), 1000);
        byte[] file = Keyspaces.snapshot(engine, true, true, () -> { });
        List<String> logged = new ArrayList<>();
        try (SnapshotParse parse = SnapshotParse.start(new RdbInput(new java.io.ByteArrayInputStream(file), "test.rdb"),
                new io.postbox.commands.config.Config(), true, true, logged::add)) {
            Engine loaded = Keyspaces.engine();
            SnapshotReader.Result result = parse.storeInto(loaded, bytesRead -> { });
            assertEquals(Keyspaces.contents(engine), Keyspaces.contents(loaded));
            assertEquals(file.length, result.endOffset());
        }
        assertEquals("Loading RDB produced by version 7.0.15", logged.get(0));
    }

    @Test
    void closingAParseThatIsNotStoredStopsIt() throws IOException {
        Engine engine = Keyspaces.engine();
        fill(engine, new Random(4), 1000);
        byte[] file = Keyspaces.snapshot(engine, true, true, () -> { });
        SnapshotParse.start(new RdbInput(new java.io.ByteArrayInputStream(file), "test.rdb"),
                new io.postbox.commands.config.Config(), true, true, line -> { }).close();
        assertTrue(Thread.getAllStackTraces().keySet().stream().noneMatch(t -> t.getName().equals("postbox-rdb-parser")),
                "the parser thread outlived close()");
    }

    @Test
    void compressionShrinksRepetitiveValues() throws IOException {
        Engine engine = Keyspaces.engine();
        engine.database(0).set(bytes("k"), bytes("message ".repeat(10_000)));
        int compressed = Keyspaces.snapshot(engine, true, true, () -> { }).length;
        int plain = Keyspaces.snapshot(engine, false, true, () -> { }).length;
        assertTrue(compressed < plain / 20, compressed + " vs " + plain);
    }

    @Test
    void snapshotIsThePointInTimeStateWhileWritesRace() throws IOException {
        for (int seed = 0; seed < 8; seed++) {
            Engine engine = Keyspaces.engine();
            Random random = new Random(seed);
            fill(engine, random, 300);
            Map<String, String> atCut = Keyspaces.contents(engine);
            byte[] file = Keyspaces.snapshot(engine, true, true, () -> mutate(engine, random));
            Engine loaded = Keyspaces.engine();
            Keyspaces.load(loaded, file);
            assertEquals(atCut, Keyspaces.contents(loaded), "seed " + seed);
        }
    }

    @Test
    void largeListIsItsStateAtTheCutEvenWhenPushedAndPoppedBeforeItIsEncoded() throws IOException {
        Engine engine = Keyspaces.engine();
        Database db = engine.database(0);
        PackedList list = new PackedList();
        for (int i = 0; i < 300_000; i++) {
            list.push(PackedList.End.TAIL, bytes("job-" + i));
        }
        db.set(bytes("queue"), list);
        Map<String, String> atCut = Keyspaces.contents(engine);
        int[] round = {0};
        byte[] file = Keyspaces.snapshot(engine, true, true, () -> {
            PackedList live = db.getForWrite(bytes("queue"), PackedList.class);
            live.push(PackedList.End.HEAD, bytes("new-" + round[0]++));
            live.pop(PackedList.End.TAIL);
            db.modified(bytes("queue"));
        });
        assertTrue(round[0] > 0, "the list was changed before it was encoded");
        Engine loaded = Keyspaces.engine();
        Keyspaces.load(loaded, file);
        assertEquals(atCut, Keyspaces.contents(loaded));
    }

    @Test
    void listEncodedOnTheWriterThreadIsItsStateAtTheCutWhateverIsDoneToTheLiveListMeanwhile() throws Exception {
        Engine engine = Keyspaces.engine();
        Database db = engine.database(0);
        PackedList list = new PackedList();
        List<String> model = new ArrayList<>();
        for (int i = 0; i < 200_000; i++) {
            String element = i % 3 == 0 ? Integer.toString(i) : "job-" + i;
            list.push(PackedList.End.TAIL, bytes(element));
            model.add(element);
        }
        db.set(bytes("queue"), list);
        db.set(bytes("after"), bytes("v"));
        Map<String, String> atCut = Keyspaces.contents(engine);
        Path dir = Files.createTempDirectory("offload-test");
        Path target = dir.resolve("dump.rdb");
        CompletableFuture<Throwable> outcome = new CompletableFuture<>();
        SnapshotFile file = new SnapshotFile(target, dir.resolve("temp.rdb"), true, false, false, null, outcome::complete);
        SnapshotWriter writer = new SnapshotWriter(true, new SnapshotWriter.Header("7.0.15", 0, 0, null, false));
        KeyspaceCut cut = KeyspaceCut.take(Keyspaces.databases(engine), writer);
        writer.cut(cut);
        try {
            while (!cut.step(System.nanoTime() + 1_000_000)) {
                file.write(writer.output().drain());
            }
        } finally {
            cut.close();
        }
        writer.finish();
        file.write(writer.output().drain());
        file.finish();
        // The list is handed over; every kind of write to the live list, first before the writer thread
        // has read a byte of it, then while it encodes.
        Random random = new Random(3);
        for (int round = 0; round < 400; round++) {
            if (round == 200) {
                file.start();
            }
            changeList(db, model, random, round);
        }
        assertNull(outcome.get(60, TimeUnit.SECONDS));
        assertEquals(model, elements(db.get(bytes("queue"), PackedList.class)), "the live list");
        Engine loaded = Keyspaces.engine();
        Keyspaces.load(loaded, Files.readAllBytes(target));
        assertEquals(atCut, Keyspaces.contents(loaded));
        Files.delete(target);
        Files.delete(dir);
    }

    /** One write of each kind in turn to the live list "queue", and the same to {@code model}. */
    private static void changeList(Database db, List<String> model, Random random, int round) {
        PackedList live = db.getForWrite(bytes("queue"), PackedList.class);
        String value = "changed-" + round;
        int index = random.nextInt(model.size());
        switch (round % 8) {
            case 0 -> {
                live.push(PackedList.End.HEAD, bytes(value));
                model.add(0, value);
            }
            case 1 -> {
                live.push(PackedList.End.TAIL, bytes(value));
                model.add(value);
            }
            case 2 -> assertEquals(model.remove(0), Keyspaces.text(live.pop(PackedList.End.HEAD)));
            case 3 -> assertEquals(model.remove(model.size() - 1), Keyspaces.text(live.pop(PackedList.End.TAIL)));
            case 4 -> {
                live.set(index, bytes(value));
                model.set(index, value);
            }
            case 5 -> {
                String pivot = model.get(index);
                live.insert(bytes(pivot), bytes(value), PackedList.End.HEAD);
                model.add(model.indexOf(pivot), value);
            }
            case 6 -> {
                String gone = model.get(index);
                assertEquals(1, live.remove(bytes(gone), 1));
                model.remove(gone);
            }
            default -> {
                live.trim(1, -2);
                model.remove(0);
                model.remove(model.size() - 1);
            }
        }
        db.modified(bytes("queue"));
    }

    private static long storedChecksum(byte[] file) {
        return ByteBuffer.wrap(file, file.length - 8, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
    }

    private static List<String> elements(PackedList list) {
        List<String> all = new ArrayList<>();
        for (byte[] element : list.elements(0, list.size(), false)) {
            all.add(Keyspaces.text(element));
        }
        return all;
    }

    @Test
    void wrongChecksumIsRefusedAndZeroChecksumSkipsTheCheck() throws IOException {
        Engine engine = Keyspaces.engine();
        engine.database(0).set(bytes("a"), bytes("1"));
        byte[] file = Keyspaces.snapshot(engine, true, true, () -> { });
        byte[] corrupt = file.clone();
        corrupt[corrupt.length - 1] ^= 1;
        RdbFormatException error = assertThrows(RdbFormatException.class, () -> Keyspaces.load(Keyspaces.engine(), corrupt));
        String expected = String.format("RDB CRC error: wrong RDB checksum expected: (%x) but got (%x)",
                storedChecksum(file), storedChecksum(corrupt));
        assertTrue(error.getMessage().startsWith(expected), error.getMessage());
        Keyspaces.load(Keyspaces.engine(), Keyspaces.snapshot(engine, true, false, () -> { }));
    }

    @Test
    void aKeyGivenTwiceIsRefusedByName() throws IOException {
        // REDIS0010, two string keys "dup" (type 0), EOF, a zero checksum (not checked).
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        file.write("REDIS0010".getBytes(StandardCharsets.US_ASCII));
        for (String value : new String[] {"1", "2"}) {
            file.write(0);
            file.write(3);
            file.write("dup".getBytes(StandardCharsets.US_ASCII));
            file.write(1);
            file.write(value.getBytes(StandardCharsets.US_ASCII));
        }
        file.write(0xFF);
        file.write(new byte[8]);
        RdbFormatException error = assertThrows(RdbFormatException.class,
                () -> Keyspaces.load(Keyspaces.engine(), file.toByteArray()));
        assertTrue(error.getMessage().startsWith("RDB has duplicated key 'dup' in DB 0"), error.getMessage());
    }

    /** As Redis (older versions could write them): empty keys are skipped, logged by name, and counted. */
    @Test
    void emptyKeysAreSkippedAndLogged() throws IOException {
        // REDIS0010, an empty set "s" (type 2, no members), a string "k", EOF, a zero checksum (not checked).
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        file.write("REDIS0010".getBytes(StandardCharsets.US_ASCII));
        file.writeBytes(new byte[] {2, 1, 's', 0});
        file.writeBytes(new byte[] {0, 1, 'k', 1, 'v'});
        file.write(0xFF);
        file.write(new byte[8]);
        Engine engine = Keyspaces.engine();
        List<String> lines = new ArrayList<>();
        SnapshotReader.Result result = new SnapshotReader(engine, true, true, lines::add)
                .load(new ByteArrayInputStream(file.toByteArray()), "test.rdb");
        assertEquals(1, engine.database(0).size());
        assertEquals("Done loading RDB, keys loaded: 1, keys expired: 0, empty keys skipped: 1.", result.summary());
        assertTrue(lines.contains("rdbLoadObject skipping empty key: s"), lines.toString());
    }

    @Test
    void aKeyGivenTwiceEarlyInALongFileStopsTheParserStillReadingIt() throws IOException {
        // The duplicate is found when the first 65,536 keys are stored; the parser thread is then far
        // from the end of the file, and the load must not return while it still reads.
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        file.write("REDIS0010".getBytes(StandardCharsets.US_ASCII));
        for (int i = 0; i < 400_000; i++) {
            byte[] key = bytes(i == 1000 ? "k:10" : "k:" + i);
            file.write(0);
            file.write(key.length);
            file.write(key);
            file.write(1);
            file.write('v');
        }
        file.write(0xFF);
        file.write(new byte[8]);
        RdbFormatException error = assertThrows(RdbFormatException.class,
                () -> Keyspaces.load(Keyspaces.engine(), file.toByteArray()));
        assertTrue(error.getMessage().startsWith("RDB has duplicated key 'k:10' in DB 0 (test.rdb at offset "),
                error.getMessage());
        assertTrue(Thread.getAllStackTraces().keySet().stream().noneMatch(t -> t.getName().equals("postbox-rdb-parser")),
                "the parser thread outlived the load");
    }

    @Test
    void aCorruptValueLateInALongFileNamesItsOffset() throws IOException {
        Engine engine = Keyspaces.engine();
        for (int i = 0; i < 200_000; i++) {
            engine.database(0).set(bytes("k:" + i), bytes("v" + i));
        }
        byte[] file = Keyspaces.snapshot(engine, true, true, () -> { });
        int at = file.length - 100;
        file[at] = (byte) 0xC3; // an LZF string marker with lengths that run past the end
        RdbFormatException error = assertThrows(RdbFormatException.class, () -> Keyspaces.load(Keyspaces.engine(), file));
        assertTrue(error.getMessage().contains("(test.rdb at offset "), error.getMessage());
    }

    @Test
    void aSortedSetWithAMemberGivenTwiceIsRefusedNamingTheOffsetAfterIt() throws IOException {
        // REDIS0010, a ZSET_2 "z" of three members, "b" twice (its skip list is built by the storing
        // thread), EOF, a zero checksum (not checked).
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        file.write("REDIS0010".getBytes(StandardCharsets.US_ASCII));
        file.write(RdbFormat.TYPE_ZSET_2);
        file.write(1);
        file.write('z');
        file.write(3);
        for (String member : new String[] {"a", "b", "b"}) {
            file.write(1);
            file.write(member.getBytes(StandardCharsets.US_ASCII));
            file.write(new byte[8]);
        }
        int after = file.size();
        file.write(0xFF);
        file.write(new byte[8]);
        RdbFormatException error = assertThrows(RdbFormatException.class,
                () -> Keyspaces.load(Keyspaces.engine(), file.toByteArray()));
        assertEquals("Duplicate zset fields detected (test.rdb at offset " + after
                + "), reading key 'z' of type 5 (zset)", error.getMessage());
    }

    @Test
    void aCorruptValueNamesItsKeyAndType() throws IOException {
        // REDIS0010, a hash "h" whose ziplist is three bytes (shorter than a ziplist's header), EOF.
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        file.write("REDIS0010".getBytes(StandardCharsets.US_ASCII));
        file.write(RdbFormat.TYPE_HASH_ZIPLIST);
        file.write(new byte[] {1, 'h', 3, 'z', 'i', 'p'});
        file.write(0xFF);
        file.write(new byte[8]);
        RdbFormatException error = assertThrows(RdbFormatException.class,
                () -> Keyspaces.load(Keyspaces.engine(), file.toByteArray()));
        assertTrue(error.getMessage().endsWith(" (test.rdb at offset 16), reading key 'h' of type 13 (hash)"),
                error.getMessage());
    }

    @Test
    void truncatedFileNamesTheOffset() throws IOException {
        Engine engine = Keyspaces.engine();
        fill(engine, new Random(5), 50);
        byte[] file = Keyspaces.snapshot(engine, true, true, () -> { });
        byte[] cut = Arrays.copyOf(file, file.length / 2);
        RdbFormatException error = assertThrows(RdbFormatException.class, () -> Keyspaces.load(Keyspaces.engine(), cut));
        assertTrue(error.getMessage().contains("test.rdb at offset"), error.getMessage());
    }

    @Test
    void expiredKeysAreSavedAndLeftOutByTheLoad() throws IOException {
        Engine engine = Keyspaces.engine();
        Database db = engine.database(0);
        db.set(bytes("stays"), bytes("v"));
        db.expireAt(bytes("stays"), System.currentTimeMillis() + 100_000);
        db.set(bytes("gone"), bytes("v"));
        byte[] file = Keyspaces.snapshot(engine, true, true, () -> { });
        Engine loaded = Keyspaces.engine();
        Keyspaces.load(loaded, file);
        assertEquals(2, loaded.database(0).size());
        // Expired, but still in the keyspace (nothing has touched it): saved as Redis saves it, and left
        // out, and counted, by the load.
        engine.database(0).expireAt(bytes("gone"), 1);
        Engine later = Keyspaces.engine();
        SnapshotReader.Result result = Keyspaces.load(later, Keyspaces.snapshot(engine, true, true, () -> { }));
        assertEquals(1, later.database(0).size());
        assertEquals(1, result.keysLoaded());
        assertEquals(1, result.keysExpired());
    }

    /** Strings of every encoding, lists small and large, TTLs, several databases. */
    static void fill(Engine engine, Random random, int keys) {
        for (int i = 0; i < keys; i++) {
            Database db = engine.database(random.nextInt(4) == 0 ? random.nextInt(16) : 0);
            byte[] key = bytes("key:" + i + ":" + random.nextInt(1000));
            int kind = random.nextInt(5);
            if (kind == 4) {
                db.set(key, randomSortedSet(engine, random));
            } else if (kind == 0) {
                db.set(key, randomString(random));
                if (random.nextBoolean()) {
                    changeStringInPlace(db, key, random);
                }
            } else if (kind == 1) {
                db.set(key, randomHash(engine, random));
            } else if (kind == 2) {
                db.set(key, randomSet(random));
            } else {
                PackedList list = new PackedList();
                int size = random.nextInt(20) == 0 ? 1000 + random.nextInt(5000) : 1 + random.nextInt(10);
                for (int e = 0; e < size; e++) {
                    list.push(random.nextBoolean() ? PackedList.End.HEAD : PackedList.End.TAIL, randomString(random));
                }
                db.set(key, list);
            }
            if (random.nextInt(5) == 0) {
                db.expireAt(key, System.currentTimeMillis() + 1_000_000 + random.nextInt(1_000_000));
            }
        }
    }

    /** Packed (listpack) or table, by size and value length, as HSET would leave it. */
    static HashValue randomHash(Engine engine, Random random) {
        HashValue hash = new HashValue();
        HashLimits limits = HashLimits.of(engine.config());
        int size = random.nextInt(10) == 0 ? 200 + random.nextInt(2000) : 1 + random.nextInt(20);
        for (int i = 0; i < size; i++) {
            hash.put(bytes("f" + i), randomString(random), limits);
        }
        return hash;
    }

    /** Packed or skip list, with every kind of score (-0 and infinities included). */
    static SortedSet randomSortedSet(Engine engine, Random random) {
        SortedSetLoader loader = new SortedSetLoader(engine.config());
        int size = random.nextInt(10) == 0 ? 200 + random.nextInt(1000) : 1 + random.nextInt(20);
        for (int i = 0; i < size; i++) {
            double score = switch (random.nextInt(5)) {
                case 0 -> random.nextInt(100);
                case 1 -> -0.0;
                case 2 -> random.nextBoolean() ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY;
                default -> random.nextGaussian() * 1e9;
            };
            loader.add(bytes("m" + i + (random.nextInt(20) == 0 ? "x".repeat(100) : "")), score);
        }
        return loader.finish();
    }

    /** An intset (integers, up to 512) or a table. */
    static SetValue randomSet(Random random) {
        boolean integers = random.nextBoolean();
        int size = random.nextInt(10) == 0 ? 600 + random.nextInt(2000) : 1 + random.nextInt(30);
        byte[] first = integers ? bytes("7") : bytes("member");
        SetValue set = SetValue.startingWith(first);
        set.add(first, 512);
        for (int i = 0; i < size; i++) {
            long n = random.nextInt(3) == 0 ? random.nextLong() : random.nextInt(100_000) - 50_000;
            set.add(integers ? bytes(Long.toString(n)) : randomString(random), 512);
        }
        return set;
    }

    static byte[] randomString(Random random) {
        switch (random.nextInt(6)) {
            case 0:
                return bytes(Long.toString(random.nextLong() >> random.nextInt(64)));
            case 1:
                return bytes(Integer.toString(random.nextInt(300) - 150));
            case 2:
                return bytes("repeat-".repeat(1 + random.nextInt(300)));
            case 3: {
                byte[] binary = new byte[random.nextInt(random.nextInt(10) == 0 ? 20_000 : 40)];
                random.nextBytes(binary);
                return binary;
            }
            case 4:
                return bytes("0" + random.nextInt(100));
            default:
                return bytes("v" + random.nextInt(100_000));
        }
    }

    /** APPEND or SETRANGE on the string at {@code key}, in place as the commands change it. */
    static void changeStringInPlace(Database db, byte[] key, Random random) {
        GrowingString string = db.growing(key, db.getStringForWrite(key));
        if (random.nextBoolean()) {
            string.append(randomString(random));
        } else {
            string.write(random.nextInt(string.length() + 10), randomString(random));
        }
        db.modified(key);
    }

    /** One random write racing the snapshot: every kind of change the keyspace has. */
    static void mutate(Engine engine, Random random) {
        Database db = engine.database(random.nextInt(4) == 0 ? random.nextInt(16) : 0);
        byte[] key = bytes("key:" + random.nextInt(500) + ":" + random.nextInt(1000));
        byte[] existing = db.randomKey();
        if (existing != null && random.nextBoolean()) {
            key = existing;
        }
        switch (random.nextInt(11)) {
            case 0, 1 -> db.set(key, randomString(random));
            case 2 -> db.delete(key);
            case 3 -> {
                Object value = db.getForWrite(key);
                if (value instanceof PackedList list) {
                    list.push(PackedList.End.HEAD, randomString(random));
                    list.pop(PackedList.End.TAIL);
                    db.modified(key);
                }
            }
            case 4 -> {
                if (db.exists(key)) {
                    db.expireAt(key, System.currentTimeMillis() + 5_000_000);
                }
            }
            case 5 -> db.persist(key);
            case 6 -> {
                if (db.exists(key)) {
                    db.move(key, engine.database(random.nextInt(16)), bytes("moved:" + random.nextInt(100)));
                }
            }
            case 7 -> {
                if (random.nextInt(20) == 0) {
                    db.clear();
                }
            }
            case 8 -> {
                if (random.nextInt(10) == 0) {
                    engine.swapDatabases(random.nextInt(16), random.nextInt(16));
                }
            }
            case 9 -> {
                Object value = db.getWithoutTouch(key);
                if (value instanceof byte[] || value instanceof GrowingString) {
                    changeStringInPlace(db, key, random);
                }
            }
            default -> {
                Object value = db.getForWrite(key);
                if (value instanceof PackedList list) {
                    list.set(0, randomString(random));
                } else if (value instanceof HashValue hash) {
                    hash.put(bytes("f" + random.nextInt(30)), randomString(random), HashLimits.of(engine.config()));
                    hash.remove(bytes("f" + random.nextInt(30)));
                } else if (value instanceof SetValue set) {
                    set.add(bytes(Integer.toString(random.nextInt(1000))), 512);
                    set.add(randomString(random), 512);
                }
                if (value != null) {
                    db.modified(key);
                }
            }
        }
    }
}
