package io.postbox.persistence;

import io.postbox.commands.Client;
import io.postbox.commands.Engine;
import io.postbox.commands.Invocation;
import io.postbox.commands.admin.DetachedProcess;
import io.postbox.commands.config.ConfigOption;
import io.postbox.commands.config.OutputBufferLimits;
import io.postbox.commands.keyspace.Database;
import io.postbox.commands.replication.Failover;
import io.postbox.commands.replication.ReplicationFeed;
import io.postbox.persistence.aof.RespCommandLog;
import io.postbox.persistence.rdb.ReplicationPoint;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * The stream of writes this master feeds its replicas: the same RESP commands the append-only file
 * gets ({@link RespCommandLog}), with SELECTs of its own, plus a PING every
 * {@code repl-ping-replica-period} seconds and {@code REPLCONF GETACK *} when a WAIT asks. Each byte has
 * an offset, counted from 1 since the stream began; {@code master_repl_offset} is the last one's.
 *
 * <p>Every byte goes to the backlog, a ring of the last {@code repl-backlog-size} bytes from which a
 * replica that lost its link continues (PSYNC with this stream's ID and the offset it wants next), and
 * to every online replica's output. A replica in a full sync is fed from the point in time of its
 * snapshot: what is written from then on is kept for it ({@link #startSync}) until its snapshot is
 * sent ({@link #online}), up to the hard {@code client-output-buffer-limit} of replicas.
 *
 * <p>On a master it exists from the first replica that wants it on (not one that wants a snapshot
 * only), as Redis creates its backlog then; until then writes cost nothing here. On a replica it is
 * its master's stream, carried on as Redis's replicas carry it ({@link #carryMaster}): the same bytes
 * under the same ID and offsets, so that this server's replicas can continue with the master after
 * it, and the master's other replicas with it once it is promoted. The history it carried before
 * stays valid as its second ID, up to where the present one began ({@link #rename}).
 *
 * <p>Executor thread only.
 */
final class ReplicationStream extends RespCommandLog implements ReplicationFeed {

    private static final byte[][] PING = {"PING".getBytes(StandardCharsets.US_ASCII)};
    private static final byte[][] GETACK = {"REPLCONF".getBytes(StandardCharsets.US_ASCII),
            "GETACK".getBytes(StandardCharsets.US_ASCII), "*".getBytes(StandardCharsets.US_ASCII)};

    private static final int MIN_BACKLOG_BYTES = 16 * 1024;

    private final Engine engine;
    private final Log log;
    private final ConfigOption<OutputBufferLimits> outputLimits;
    private String replicationId;
    private String secondId = NO_ID;
    private long secondIdOffset = -1;
    /** Whether the stream is a master's, carried on: its commands come from {@link #proxy}, not from this server. */
    private boolean carriesMaster;
    /** While {@link #carriesMaster}: the database the master's stream has selected, as of {@link #offset}. */
    private int masterDb;
    private byte[] backlog;
    /** Where the next byte goes in the ring. */
    private int backlogEnd;
    private long histlen;
    private long offset;
    private final List<Client> online = new ArrayList<>();
    /** Replicas whose snapshot's point in time has passed, and what was written since, in order. */
    private final Map<Client, Catchup> syncing = new IdentityHashMap<>();
    private long lastPingMillis;

    /** What a replica in a full sync is owed: the stream from {@code startOffset} on. */
    private static final class Catchup {
        final long startOffset;
        byte[] bytes;
        int length;

        Catchup(long startOffset, byte[] bytes, int length) {
            this.startOffset = startOffset;
            this.bytes = bytes;
            this.length = length;
        }

        void add(byte[] data, int dataLength) {
            if (length + dataLength > bytes.length) {
                bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + dataLength));
            }
            System.arraycopy(data, 0, bytes, length, dataLength);
            length += dataLength;
        }
    }

    /** A stream of ID {@code replicationId} whose next byte is offset {@code offset} + 1, its backlog empty. */
    ReplicationStream(Engine engine, Log log, String replicationId, long offset) {
        super(TO_REPLICAS);
        this.engine = engine;
        this.log = log;
        this.replicationId = replicationId;
        this.offset = offset;
        this.outputLimits = engine.config().option("client-output-buffer-limit");
        this.backlog = new byte[backlogBytes()];
        this.lastPingMillis = engine.now();
    }

    /** {@code repl-backlog-size}, at least 16 KB as Redis makes it (CONFIG_REPL_BACKLOG_MIN_SIZE). */
    private int backlogBytes() {
        return (int) Math.min(Integer.MAX_VALUE - 8, Math.max(MIN_BACKLOG_BYTES,
                engine.config().getLong("repl-backlog-size")));
    }

    @Override
    public String replicationId() {
        return replicationId;
    }

    @Override
    public String secondReplicationId() {
        return secondId;
    }

    @Override
    public long secondOffset() {
        return secondIdOffset;
    }

    @Override
    public long offset() {
        return offset;
    }

    @Override
    public boolean backlogActive() {
        return true;
    }

    @Override
    public long backlogFirstByte() {
        return offset - histlen + 1;
    }

    @Override
    public long backlogHistlen() {
        return histlen;
    }

    @Override
    public long backlogMemory() {
        return backlog.length;
    }

    @Override
    public void requestAcks() {
        replicate(GETACK);
    }

    @Override
    public void replicate(byte[][] command) {
        if (!carriesMaster) {
            appendCommand(command);
            unitWritten();
        }
    }

    /** This server's writes go in, unless the stream is its master's: a replica's replicas get its master's only. */
    @Override
    public void written(Invocation call) {
        if (!carriesMaster) {
            super.written(call);
        }
    }

    @Override
    public void written(Database db, byte[][] command) {
        if (!carriesMaster) {
            super.written(db, command);
        }
    }

    /**
     * This server follows a master from now on: the stream carries the master's commands only. Its ID
     * and offset are what it asks the master to continue from, as Redis's replica synthesizes a cached
     * master from its own; the master's stream goes on in the database this one selected last.
     */
    void carryMaster() {
        carryMaster(carriesMaster ? masterDb : Math.max(0, selectedDb()));
    }

    /** {@link #carryMaster()}, the master's stream in database {@code db} (a snapshot's repl-stream-db). */
    void carryMaster(int db) {
        if (!carriesMaster) {
            appendUnit();
            carriesMaster = true;
        }
        masterDb = db;
    }

    /** While {@link #carriesMaster}: the database the master's stream has selected as of the offset. */
    int masterDb() {
        return masterDb;
    }

    /** One command of the master's stream, run (or queued in its MULTI): it waits for {@link #masterApplied}. */
    void proxy(byte[][] command) {
        appendCommand(command);
    }

    /**
     * What {@link #proxy} took since the last call is applied, the master's link now in database
     * {@code db}: it goes to the backlog and the replicas, as Redis's replica feeds what its master's
     * client applied.
     */
    void masterApplied(int db) {
        masterDb = db;
        unitWritten();
    }

    /** The link to the master dropped: the part of a transaction it had sent comes again when it continues. */
    void discardUnapplied() {
        clearBuffer();
    }

    /**
     * The history goes on under {@code newId}: the present ID stays valid as the second, for replicas
     * that continue up to here, as Redis's shiftReplicationId and a replica's +CONTINUE with a new ID
     * keep it.
     */
    void rename(String newId) {
        secondId = replicationId;
        secondIdOffset = offset + 1;
        replicationId = newId;
    }

    /**
     * This server stops following its master (REPLICAOF NO ONE): its own writes go on from here under a
     * new ID, the first of them with a SELECT. What the master sent of a transaction it did not end is
     * dropped, as it was never applied.
     */
    void becomeMaster() {
        discardUnapplied();
        carriesMaster = false;
        forgetSelectedDb();
        rename(DetachedProcess.randomHex40());
        log.warning("Setting secondary replication ID to " + secondId + ", valid up to offset: " + secondIdOffset
                + ". New replication ID is " + replicationId);
    }

    /**
     * Where a snapshot taken now stands in the stream. On a master, a transaction running now has its
     * writes so far in the snapshot, so they are cut off into the stream before it, as {@link #startSync} does.
     */
    ReplicationPoint point() {
        if (carriesMaster) {
            return new ReplicationPoint(masterDb, replicationId, offset);
        }
        appendUnit();
        return new ReplicationPoint(Math.max(0, selectedDb()), replicationId, offset);
    }

    /**
     * A replica's snapshot is taken now: it is owed the stream from here on. Returns the offset its
     * +FULLRESYNC names. A transaction running now has its writes so far in the snapshot, so they are
     * cut off into the stream before it ({@link #appendUnit}). The replica's link starts in database 0,
     * so the next write names its database whatever the stream selected last, as Redis forces a SELECT.
     */
    long startSync(Client replica) {
        if (!carriesMaster) {
            // The master's stream is carried as it is: its database is the snapshot's repl-stream-db.
            appendUnit();
            forgetSelectedDb();
        }
        syncing.put(replica, new Catchup(offset, new byte[1024], 0));
        return offset;
    }

    /**
     * A replica shares the snapshot {@code other} waits for: it is owed what {@code other} is. Returns the
     * offset of that snapshot, or -1 if {@code other} is not in a full sync.
     */
    long joinSync(Client replica, Client other) {
        Catchup owed = syncing.get(other);
        if (owed == null) {
            return -1;
        }
        syncing.put(replica, new Catchup(owed.startOffset, Arrays.copyOf(owed.bytes, owed.bytes.length), owed.length));
        return owed.startOffset;
    }

    /** The replica has its snapshot: it gets what was written since, and the stream from now on. */
    void online(Client replica) {
        Catchup owed = syncing.remove(replica);
        if (owed == null) {
            return;
        }
        replica.startStreaming();
        replica.replicaAcked(0, engine.now());
        replica.feedReplica(owed.bytes, 0, owed.length);
        online.add(replica);
        log.notice("Synchronization with replica " + replica.replicaName() + " succeeded");
    }

    /**
     * PSYNC {@code id} {@code from}: if the backlog holds the stream from {@code from} on, the replica
     * gets +CONTINUE and that part of the stream, and is online; true then, false if it needs a full sync.
     */
    boolean tryContinue(Client replica, String id, long from) {
        if (!continues(id, from) || from < backlogFirstByte() || from > offset + 1) {
            return false;
        }
        replica.pushOutput().simple("CONTINUE " + replicationId);
        replica.startStreaming();
        replica.replicaAcked(0, engine.now());
        int length = (int) (offset + 1 - from);
        byte[] missed = new byte[length];
        copyLatest(length, missed);
        replica.feedReplica(missed, 0, length);
        online.add(replica);
        log.notice("Partial resynchronization request from " + replica.replicaName() + " accepted. Sending " + length
                + " bytes of backlog starting from offset " + from + ".");
        return true;
    }

    /** Whether {@code id} names this history up to {@code from}: the present ID, or the second up to where it holds. */
    private boolean continues(String id, long from) {
        return replicationId.equalsIgnoreCase(id) || secondId.equalsIgnoreCase(id) && from <= secondIdOffset;
    }

    /**
     * Each cron: replicas that left are forgotten, online ones that acknowledged nothing for
     * {@code repl-timeout} are dropped, the backlog takes a new {@code repl-backlog-size}, and the
     * replicas get a PING every {@code repl-ping-replica-period}.
     */
    void cron() {
        if (backlogBytes() != backlog.length) {
            resizeBacklog(backlogBytes());
        }
        long timeout = engine.config().getLong("repl-timeout") * 1000;
        online.removeIf(replica -> {
            if (engine.clients().get(replica.id()) != replica) {
                return true;
            }
            if (engine.now() - replica.replicaAckMillis() > timeout) {
                log.warning("Disconnecting timedout replica (streaming sync): " + replica.replicaName());
                replica.close();
                return true;
            }
            return false;
        });
        syncing.keySet().removeIf(replica -> engine.clients().get(replica.id()) != replica);
        long period = engine.config().getLong("repl-ping-replica-period") * 1000;
        // No PING during a FAILOVER: it would move the stream on past the replica that is to take over.
        boolean failingOver = engine.failover().state() != Failover.State.NONE;
        if (!carriesMaster && !failingOver && engine.now() - lastPingMillis >= period
                && !(online.isEmpty() && syncing.isEmpty())) {
            lastPingMillis = engine.now();
            appendCommand(PING);
            unitWritten();
        }
    }

    /** The unit's bytes are copied to the backlog and to each replica, straight from the buffer. */
    @Override
    protected void unitWritten() {
        int length = bufferedBytes();
        if (length == 0) {
            return;
        }
        byte[] bytes = buffer();
        offset += length;
        toBacklog(bytes, length);
        for (Client replica : online) {
            replica.feedReplica(bytes, 0, length);
        }
        if (!syncing.isEmpty()) {
            owe(bytes, length);
        }
        clearBuffer();
    }

    /** A new ring of {@code size} bytes, with as much of the latest stream as it takes. */
    private void resizeBacklog(int size) {
        int kept = (int) Math.min(histlen, size);
        byte[] resized = new byte[size];
        copyLatest(kept, resized);
        backlog = resized;
        backlogEnd = kept % size;
        histlen = kept;
    }

    /** Copies the last {@code length} bytes of the backlog to the start of {@code target}. */
    private void copyLatest(int length, byte[] target) {
        int start = (int) Math.floorMod(backlogEnd - (long) length, (long) backlog.length);
        int firstPart = Math.min(length, backlog.length - start);
        System.arraycopy(backlog, start, target, 0, firstPart);
        System.arraycopy(backlog, 0, target, firstPart, length - firstPart);
    }

    private void toBacklog(byte[] bytes, int bytesLength) {
        int from = Math.max(0, bytesLength - backlog.length);
        int length = bytesLength - from;
        int firstPart = Math.min(length, backlog.length - backlogEnd);
        System.arraycopy(bytes, from, backlog, backlogEnd, firstPart);
        System.arraycopy(bytes, from + firstPart, backlog, 0, length - firstPart);
        backlogEnd = (backlogEnd + length) % backlog.length;
        histlen = Math.min(backlog.length, histlen + length);
    }

    /** Keeps {@code bytes} for the replicas in a full sync; one owed more than the hard limit is dropped. */
    private void owe(byte[] bytes, int length) {
        long hard = outputLimits.value().of(OutputBufferLimits.REPLICA).hardBytes();
        syncing.entrySet().removeIf(entry -> {
            Catchup owed = entry.getValue();
            if (hard > 0 && owed.length + (long) length >= hard) {
                log.warning("Client " + entry.getKey().replicaName() + " scheduled to be closed ASAP for overcoming "
                        + "of output buffer limits.");
                entry.getKey().close();
                return true;
            }
            owed.add(bytes, length);
            return false;
        });
    }
}
