package io.postbox.persistence.rdb;

import io.postbox.commands.keyspace.KeyspaceCut;
import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Encodes the keys of a {@link KeyspaceCut} as an RDB file, version 10 (what Redis 7.0 writes):
 * <pre>
 *   "REDIS0010"                       9 bytes: magic and version
 *   0xFA name value                   aux fields, strings: redis-ver, redis-bits, ctime, used-mem,
 *                                     [repl-stream-db, repl-id, repl-offset], aof-base
 *   0xF5 code                         per function library: FUNCTION2 and the library's code, a string
 *   per database with keys:
 *     0xFE db                         SELECTDB, db as a length
 *     0xFB size expires               RESIZEDB: keys and keys with a TTL, lengths (a sizing hint)
 *     per key:
 *       [0xFC millis]                 EXPIRETIME_MS: Unix ms, 8 bytes little-endian, if it has a TTL
 *       type key value                value type byte, key as a string, value as its {@link RdbType} says
 *   0xFF                              EOF
 *   crc                               CRC-64 of all bytes before it, 8 bytes little-endian (0 without
 *                                     rdbchecksum); added by {@link SnapshotFile}
 * </pre>
 * Lengths and strings are encoded as {@link RdbOutput} says. Keys come in the cut's order; a key saved
 * before a write touched it may come in the middle of another database's keys, preceded by its own
 * SELECTDB (Redis's loader takes SELECTDB anywhere; RESIZEDB is written once per database).
 *
 * <p>A large value is written over several slices (its {@link RdbType.ValueWriter} works from the
 * live object until it is about to change, then from a copy); keys visited meanwhile are encoded
 * aside, in their own buffers, and follow it in the file. A long list is not encoded here at all: its
 * frozen copy goes to the file's thread as one segment, in its place in the file ({@link RdbList}). {@link #output()} is drained by the caller
 * between slices.
 *
 * <p>Executor thread only.
 */
public final class SnapshotWriter implements KeyspaceCut.Visitor {

    /** About how many bytes one visit or resume writes before yielding. */
    static final long SLICE_BYTES = 64 * 1024;

    /**
     * The file's first bytes, {@code REDIS0010}: formatted once, as String.format costs a BGSAVE 0.4-0.6 ms
     * on the executor, its code seldom run and so interpreted.
     */
    private static final byte[] MAGIC =
            String.format("REDIS%04d", RdbFormat.VERSION).getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    /**
     * The aux fields of the header, as Redis 7.0 writes them; {@code replication} null where Redis's
     * rdbPopulateSaveInfo gives none (a master that never had a replica, an AOF rewrite's preamble).
     */
    public record Header(String redisVersion, long createdSeconds, long usedMemory, ReplicationPoint replication,
                         boolean aofBase) {
    }

    /** A key's record: written straight to the file once it is first in line, into its own buffer before. */
    private static final class Record {
        final int db;
        final RdbType.ValueWriter writer;
        final RdbOutput buffer;
        boolean done;

        Record(int db, RdbType.ValueWriter writer, RdbOutput buffer) {
            this.db = db;
            this.writer = writer;
            this.buffer = buffer;
        }
    }

    private final RdbOutput out;
    private final boolean compression;
    /** Arrays for list nodes, shared by every output of this snapshot and recycled by its writer thread. */
    private final BufferPool pool = new BufferPool();
    private KeyspaceCut cut;
    /** Records not completely in {@link #out} yet, in file order; the first may be partly there. */
    private final ArrayDeque<Record> line = new ArrayDeque<>();
    private final Set<Integer> resized = new HashSet<>();
    private int selected = -1;

    public SnapshotWriter(boolean compression, Header header) {
        this.compression = compression;
        this.out = new RdbOutput(compression, pool);
        out.writeRaw(MAGIC);
        aux("redis-ver", header.redisVersion());
        aux("redis-bits", "64");
        aux("ctime", Long.toString(header.createdSeconds()));
        aux("used-mem", Long.toString(header.usedMemory()));
        ReplicationPoint replication = header.replication();
        if (replication != null) {
            aux(ReplicationPoint.STREAM_DB, Integer.toString(replication.streamDb()));
            aux(ReplicationPoint.ID, replication.replicationId());
            aux(ReplicationPoint.OFFSET, Long.toString(replication.offset()));
        }
        aux("aof-base", header.aofBase() ? "1" : "0");
    }

    /**
     * Writes the function libraries (each {@code 0xF5} and the library's code), after the aux fields
     * and before the databases, as Redis does; call before the first visit.
     */
    public void libraries(List<byte[]> codes) {
        for (byte[] code : codes) {
            out.writeByte(RdbFormat.OPCODE_FUNCTION2).writeString(code);
        }
    }

    /** The cut this writer encodes, for the RESIZEDB hints; set before the first visit. */
    public void cut(KeyspaceCut cut) {
        this.cut = cut;
    }

    private void aux(String name, String value) {
        out.writeByte(RdbFormat.OPCODE_AUX).writeString(name).writeString(value);
    }

    /** The encoded file so far; drain it between slices. */
    public RdbOutput output() {
        return out;
    }

    /** Ends the file with EOF; the checksum follows from {@link SnapshotFile}. Call once the cut is done. */
    public void finish() {
        if (!line.isEmpty()) {
            throw new IllegalStateException("snapshot finished with records in line");
        }
        out.writeByte(RdbFormat.OPCODE_EOF);
    }

    @Override
    public boolean visit(int db, byte[] key, Object value, long expireAt, boolean live) {
        RdbType.ValueWriter writer = RdbTypes.of(value).writer(value);
        boolean first = line.isEmpty();
        Record record = new Record(db, writer, first ? null : new RdbOutput(compression, pool));
        RdbOutput target = first ? out : record.buffer;
        if (first) {
            select(db);
        }
        if (expireAt != -1) {
            target.writeByte(RdbFormat.OPCODE_EXPIRETIME_MS).writeMillis(expireAt);
        }
        target.writeByte(writer.type()).writeString(key);
        record.done = writer.writeSome(target, SLICE_BYTES);
        if (record.done && first) {
            return false;
        }
        boolean keepsLive = live && first && !record.done;
        if (!record.done && !keepsLive) {
            writer.detach();
        }
        line.add(record);
        return keepsLive;
    }

    /** Writes the records in line, first to last, for about one slice; true once none is left. */
    @Override
    public boolean resume() {
        long start = out.pendingBytes();
        while (!line.isEmpty()) {
            Record record = line.peek();
            if (!record.done) {
                record.done = record.writer.writeSome(out, SLICE_BYTES);
                if (!record.done) {
                    return false;
                }
            }
            line.poll();
            Record next = line.peek();
            if (next != null) {
                select(next.db);
                out.append(next.buffer);
                if (out.pendingBytes() - start >= SLICE_BYTES) {
                    return false;
                }
            }
        }
        return true;
    }

    @Override
    public void release() {
        // Only the first record can read a live value: later ones were detached or complete when made.
        Record record = line.peek();
        if (record != null && !record.done) {
            record.writer.detach();
        }
    }

    private void select(int db) {
        if (db == selected) {
            return;
        }
        out.writeByte(RdbFormat.OPCODE_SELECTDB).writeLength(db);
        selected = db;
        if (resized.add(db) && cut != null) {
            out.writeByte(RdbFormat.OPCODE_RESIZEDB).writeLength(cut.size(db)).writeLength(cut.expiresSize(db));
        }
    }
}
