package io.postbox.persistence.aof;

import io.postbox.commands.Numbers;
import io.postbox.commands.config.Config;
import io.postbox.commands.hashes.HashValue;
import io.postbox.commands.lists.PackedList;
import io.postbox.commands.sets.SetValue;
import io.postbox.commands.streams.PendingEntry;
import io.postbox.commands.streams.StreamConsumer;
import io.postbox.commands.streams.StreamEntry;
import io.postbox.commands.streams.StreamGroup;
import io.postbox.commands.streams.StreamId;
import io.postbox.commands.streams.StreamValue;
import io.postbox.commands.zsets.SortedSet;
import io.postbox.persistence.rdb.RdbInput;
import io.postbox.persistence.rdb.SnapshotConversion;
import io.postbox.persistence.rdb.SnapshotParse;
import io.postbox.resp.DoubleFormat;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The base of an append-only file as commands, for {@code aof-use-rdb-preamble no}: the snapshot is
 * taken and written as an RDB file as always, then read back on the snapshot's writer thread and
 * written out as the commands that rebuild it, as Redis's rewrite writes them:
 * <ul>
 *   <li>{@code FUNCTION LOAD} per function library, first;</li>
 *   <li>{@code SELECT} before the keys of each database;</li>
 *   <li>per key {@code SET}; {@code RPUSH}, {@code SADD}, {@code ZADD} or {@code HMSET} with up to 64
 *       items each; a stream as an {@code XADD} per entry (or one trimmed at once to keep an empty
 *       stream), {@code XSETID} with its counters, and per group {@code XGROUP CREATE} with the
 *       group's read counter and an {@code XCLAIM ... JUSTID FORCE} per pending entry;</li>
 *   <li>then {@code PEXPIREAT} for a key with a time to live.</li>
 * </ul>
 * Unlike Redis 7.0, a consumer that holds no pending entry is kept, with {@code XGROUP
 * CREATECONSUMER}, as the RDB form keeps it.
 */
public final class CommandFormBase implements SnapshotConversion {

    /** Redis's AOF_REWRITE_ITEMS_PER_CMD: elements (or pairs) per command for a large value. */
    private static final int ITEMS_PER_COMMAND = 64;
    private static final byte[] CRLF = {'\r', '\n'};

    private final Config config;
    private final List<byte[]> libraries;
    /** The Unix second of the cut, annotated first with {@code aof-timestamp-enabled}, as Redis does; else -1. */
    private final long annotatedSecond;

    /** @param libraries the function libraries' code as of the snapshot's cut (made now) */
    public CommandFormBase(Config config, List<byte[]> libraries) {
        this.config = config;
        this.libraries = libraries;
        this.annotatedSecond = config.getBool("aof-timestamp-enabled") ? System.currentTimeMillis() / 1000 : -1;
    }

    @Override
    public void convert(Path snapshot, Path converted) throws IOException {
        try (FileChannel channel = FileChannel.open(converted, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING);
             InputStream in = Files.newInputStream(snapshot)) {
            OutputStream out = new BufferedOutputStream(Channels.newOutputStream(channel), 1 << 16);
            write(new RdbInput(in, snapshot.toString()), new Commands(out));
            out.flush();
            channel.force(true);
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    private void write(RdbInput in, Commands out) throws IOException {
        if (annotatedSecond != -1) {
            out.raw(AppendOnlyFile.timestampAnnotation(annotatedSecond));
        }
        for (byte[] code : libraries) {
            out.command(bytes("FUNCTION"), bytes("LOAD"), code);
        }
        int[] selected = {-1};
        SnapshotParse.start(in, config, false, config.getBool("rdbchecksum"), line -> { })
                .forEachKey((db, key, value, expireAt) -> {
                    if (db != selected[0]) {
                        out.command(bytes("SELECT"), Numbers.toBytes(db));
                        selected[0] = db;
                    }
                    writeValue(out, key, value);
                    if (expireAt != -1) {
                        out.command(bytes("PEXPIREAT"), key, Numbers.toBytes(expireAt));
                    }
                });
    }

    private static void writeValue(Commands out, byte[] key, Object value) {
        if (value instanceof byte[] string) {
            out.command(bytes("SET"), key, string);
        } else if (value instanceof PackedList list) {
            Batches rpush = new Batches(out, "RPUSH", key);
            PackedList.ChunkCursor chunks = list.chunkCursor(0);
            while (chunks.visitNext((data, offset, length) -> rpush.add(Arrays.copyOfRange(data, offset,
                    offset + length)))) {
                // Each visit adds one chunk's elements.
            }
            rpush.end();
        } else if (value instanceof SetValue set) {
            Batches sadd = new Batches(out, "SADD", key);
            set.forEach(sadd::add);
            sadd.end();
        } else if (value instanceof SortedSet zset) {
            Batches zadd = new Batches(out, "ZADD", key);
            zset.visitAll((member, score) -> zadd.add(DoubleFormat.g17Bytes(score), member));
            zadd.end();
        } else if (value instanceof HashValue hash) {
            Batches hmset = new Batches(out, "HMSET", key);
            hash.forEach(hmset::add);
            hmset.end();
        } else if (value instanceof StreamValue stream) {
            writeStream(out, key, stream);
        } else {
            throw new IllegalStateException("no command form for " + value.getClass().getName());
        }
    }

    private static void writeStream(Commands out, byte[] key, StreamValue stream) {
        if (stream.length > 0) {
            for (StreamEntry entry : stream.range(StreamId.MIN, StreamId.MAX, 0, false)) {
                List<byte[]> args = new ArrayList<>(List.of(bytes("XADD"), key, entry.id().toBytes()));
                args.addAll(List.of(entry.fieldsValues()));
                out.command(args.toArray(new byte[0][]));
            }
        } else {
            // An empty stream is made by adding entry 0-1 and trimming it away at once, as Redis writes it
            // (its last ID may be 0-0, which XADD refuses); XSETID then sets the last ID.
            out.command(bytes("XADD"), key, bytes("MAXLEN"), bytes("0"), bytes("0-1"), bytes("x"), bytes("y"));
        }
        out.command(bytes("XSETID"), key, stream.lastId.toBytes(), bytes("ENTRIESADDED"),
                Numbers.toBytes(stream.entriesAdded), bytes("MAXDELETEDID"), stream.maxDeletedId.toBytes());
        for (StreamGroup group : stream.groups.values()) {
            byte[] name = group.name.getBytes(StandardCharsets.ISO_8859_1);
            out.command(bytes("XGROUP"), bytes("CREATE"), key, name, group.lastId.toBytes(), bytes("ENTRIESREAD"),
                    Numbers.toBytes(group.entriesRead));
            for (StreamConsumer consumer : group.consumers.values()) {
                byte[] consumerName = consumer.name.getBytes(StandardCharsets.ISO_8859_1);
                if (consumer.pending.isEmpty()) {
                    out.command(bytes("XGROUP"), bytes("CREATECONSUMER"), key, name, consumerName);
                }
                for (Map.Entry<StreamId, PendingEntry> pending : consumer.pending.entrySet()) {
                    out.command(bytes("XCLAIM"), key, name, consumerName, bytes("0"), pending.getKey().toBytes(),
                            bytes("TIME"), Numbers.toBytes(pending.getValue().deliveryTime), bytes("RETRYCOUNT"),
                            Numbers.toBytes(pending.getValue().deliveryCount), bytes("JUSTID"), bytes("FORCE"));
                }
            }
        }
    }

    /** A value's items (elements, or pairs) cut into commands of {@link #ITEMS_PER_COMMAND} items each. */
    private static final class Batches {
        private final Commands out;
        private final List<byte[]> args = new ArrayList<>();
        private int items;

        Batches(Commands out, String command, byte[] key) {
            this.out = out;
            args.add(bytes(command));
            args.add(key);
        }

        void add(byte[]... item) {
            args.addAll(List.of(item));
            if (++items == ITEMS_PER_COMMAND) {
                end();
            }
        }

        void end() {
            if (items > 0) {
                out.command(args.toArray(new byte[0][]));
                args.subList(2, args.size()).clear();
                items = 0;
            }
        }
    }

    /**
     * Commands as RESP arrays of bulk strings, as the append-only file holds them. Written from inside
     * the values' visitors, it reports a failed write as an UncheckedIOException, which
     * {@link #convert} unwraps.
     */
    private static final class Commands {
        private final OutputStream out;

        Commands(OutputStream out) {
            this.out = out;
        }

        void command(byte[]... args) {
            try {
                header('*', args.length);
                for (byte[] arg : args) {
                    header('$', arg.length);
                    out.write(arg);
                    out.write(CRLF);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        void raw(byte[] line) {
            try {
                out.write(line);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private void header(char kind, int count) throws IOException {
            out.write(kind);
            out.write(bytes(Integer.toString(count)));
            out.write(CRLF);
        }
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
