package io.postbox.persistence.rdb;

import io.postbox.commands.Commands;
import io.postbox.commands.Engine;
import io.postbox.commands.config.Config;
import io.postbox.commands.keyspace.Database;
import io.postbox.commands.keyspace.GrowingString;
import io.postbox.commands.hashes.HashValue;
import io.postbox.commands.lists.PackedList;
import io.postbox.commands.sets.SetValue;
import io.postbox.commands.zsets.SortedSet;
import java.util.Collections;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import io.postbox.commands.keyspace.KeyspaceCut;

/** Test support: engines, their contents as plain data, and snapshots written to memory. */
final class Keyspaces {

    private Keyspaces() {
    }

    static Engine engine() {
        return new Engine(new Config(), Commands.groups());
    }

    static List<Database> databases(Engine engine) {
        List<Database> all = new ArrayList<>();
        for (int i = 0; i < engine.databaseCount(); i++) {
            all.add(engine.database(i));
        }
        return all;
    }

    /** Every live key of every database: "db:key" to "type:value|expiry". */
    static Map<String, String> contents(Engine engine) {
        Map<String, String> all = new TreeMap<>();
        for (Database db : databases(engine)) {
            List<byte[]> keys = new ArrayList<>();
            db.forEachLiveKey(keys::add);
            for (byte[] key : keys) {
                all.put(db.index() + ":" + text(key), describe(db.getWithoutTouch(key)) + "|" + db.expireAt(key));
            }
        }
        return all;
    }

    static String describe(Object value) {
        if (value instanceof byte[] bytes) {
            return "string:" + text(bytes);
        }
        if (value instanceof GrowingString growing) {
            return "string:" + text(growing.toBytes());
        }
        if (value instanceof HashValue hash) {
            List<String> pairs = new ArrayList<>();
            hash.forEach((field, fieldValue) -> pairs.add(text(field) + "=" + text(fieldValue)));
            Collections.sort(pairs);
            return "hash:" + hash.encoding() + ":" + pairs;
        }
        if (value instanceof SortedSet zset) {
            StringBuilder entries = new StringBuilder("zset:" + zset.encoding() + ":");
            zset.visitAll((member, score) -> entries.append(text(member)).append('=')
                    .append(Double.doubleToRawLongBits(score)).append(','));
            return entries.toString();
        }
        if (value instanceof SetValue set) {
            List<String> members = new ArrayList<>();
            set.forEach(member -> members.add(text(member)));
            Collections.sort(members);
            return "set:" + set.encoding() + ":" + members;
        }
        PackedList list = (PackedList) value;
        StringBuilder out = new StringBuilder("list:");
        PackedList.Cursor cursor = list.cursor(0);
        while (cursor.hasElement()) {
            out.append(text(cursor.value())).append(',');
            cursor.step(PackedList.End.TAIL);
        }
        return out.toString();
    }

    static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }

    static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }

    /**
     * Writes a snapshot of {@code engine} to memory, taking tiny slices and running {@code between}
     * after each (writes that race the snapshot), and once more after the last. The segments are encoded
     * only then, as a writer thread that lags behind would: what was handed over must not change.
     */
    static byte[] snapshot(Engine engine, boolean compression, boolean checksum, Runnable between) throws IOException {
        SnapshotWriter writer = new SnapshotWriter(compression,
                new SnapshotWriter.Header("7.0.15", System.currentTimeMillis() / 1000, 1 << 20, null, false));
        KeyspaceCut cut = KeyspaceCut.take(databases(engine), writer);
        writer.cut(cut);
        List<Object> segments = new ArrayList<>();
        try {
            while (!cut.step(System.nanoTime() + 20_000)) {
                segments.addAll(writer.output().drain());
                between.run();
            }
        } finally {
            cut.close();
        }
        between.run();
        writer.finish();
        segments.addAll(writer.output().drain());
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        SegmentEncoder encoder = new SegmentEncoder(file::write);
        for (Object segment : segments) {
            encoder.encode(segment);
        }
        long crc = checksum ? encoder.crc() : 0;
        for (int i = 0; i < 8; i++) {
            file.write((int) (crc >>> (8 * i)) & 0xff);
        }
        return file.toByteArray();
    }

    static SnapshotReader.Result load(Engine engine, byte[] file) throws IOException {
        return new SnapshotReader(engine, true, true, line -> { }).load(new ByteArrayInputStream(file), "test.rdb");
    }
}
