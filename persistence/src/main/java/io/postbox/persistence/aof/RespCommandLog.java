package io.postbox.persistence.aof;

import io.postbox.commands.CommandLog;
import io.postbox.commands.Invocation;
import io.postbox.commands.keyspace.Database;
import io.postbox.resp.RequestBytes;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A {@link CommandLog} that writes the commands in RESP into a buffer, as Redis propagates them to its
 * append-only file and its replicas alike: each write in its {@link LoggedForm}, {@code SELECT} first
 * whenever the database differs from the previous command's, and what one top-level command writes (a
 * unit) held until it ends, then written alone or, when it is several commands, between MULTI and
 * EXEC: SELECT before MULTI for the first command's database, none before EXEC, as Redis 7.0's
 * propagatePendingCommands writes it.
 * <pre>
 *   *2\r\n$6\r\nSELECT\r\n$1\r\n0\r\n
 *   *3\r\n$5\r\nLPUSH\r\n$1\r\nq\r\n$5\r\nhello\r\n
 * </pre>
 * Subclasses take the bytes ({@link #takeBytes()}) where they go: to a file, to replicas.
 *
 * <p>Executor thread only.
 */
public abstract class RespCommandLog implements CommandLog {

    private static final byte[] CRLF = {'\r', '\n'};
    private static final byte[] SELECT = "SELECT".getBytes(StandardCharsets.US_ASCII);
    private static final byte[][] MULTI = {"MULTI".getBytes(StandardCharsets.US_ASCII)};
    private static final byte[][] EXEC = {"EXEC".getBytes(StandardCharsets.US_ASCII)};
    private static final int INITIAL_BYTES = 16 * 1024;

    /** Which of {@link CommandLog#TO_AOF} and {@link CommandLog#TO_REPLICAS} this log is. */
    private final int target;
    private byte[] buffer = new byte[INITIAL_BYTES];
    private int length;
    private int selectedDb = -1;
    /** How deep units are nested now: 0 between top-level commands. */
    private int unitDepth;
    /** The running unit's commands, and the database of each. */
    private final List<byte[][]> unitCommands = new ArrayList<>();
    private int[] unitDbs = new int[8];

    protected RespCommandLog(int target) {
        this.target = target;
    }

    @Override
    public void written(Invocation call) {
        if ((call.propagationTargets() & target) == 0) {
            return;
        }
        for (byte[][] command : LoggedForm.of(call)) {
            written(call.db(), command);
        }
    }

    @Override
    public void written(Database db, byte[][] command) {
        if (unitDepth == 0) {
            append(db.index(), command);
            unitWritten();
            return;
        }
        int n = unitCommands.size();
        if (n == unitDbs.length) {
            unitDbs = Arrays.copyOf(unitDbs, n * 2);
        }
        unitDbs[n] = db.index();
        unitCommands.add(command);
    }

    @Override
    public void unitStarted() {
        unitDepth++;
    }

    @Override
    public void unitEnded() {
        if (--unitDepth == 0) {
            appendUnit();
        }
    }

    /**
     * Writes what the running unit holds so far, wrapped when it is more than one command; the rest of
     * the unit, if it goes on, is a unit of its own. For a cut taken inside a transaction (a rewrite's
     * or a sync's), whose point in time already has the unit's writes so far.
     */
    protected final void appendUnit() {
        int n = unitCommands.size();
        if (n == 0) {
            return;
        }
        if (n > 1) {
            append(unitDbs[0], MULTI);
        }
        for (int i = 0; i < n; i++) {
            append(unitDbs[i], unitCommands.get(i));
        }
        if (n > 1) {
            append(unitDbs[n - 1], EXEC);
        }
        unitCommands.clear();
        if (unitDbs.length > 1024) {
            unitDbs = new int[8];
        }
        unitWritten();
    }

    /** Whether nothing was written since the last {@link #takeBytes()} and no unit holds commands. */
    protected final boolean nothingWritten() {
        return length == 0 && unitCommands.isEmpty();
    }

    /** A unit, or a write outside any, is in the buffer whole. */
    protected void unitWritten() {
    }

    /** Runs before each command is written, SELECT included: where a subclass adds its own lines. */
    protected void beforeCommand() {
    }

    /** The next command is preceded by a SELECT, whatever its database (a new file, a new stream). */
    protected final void forgetSelectedDb() {
        selectedDb = -1;
    }

    /** The database of the last command written; -1 if the next command gets a SELECT whatever its database. */
    protected final int selectedDb() {
        return selectedDb;
    }

    private void append(int db, byte[][] command) {
        beforeCommand();
        if (db != selectedDb) {
            appendCommand(new byte[][] {SELECT, Integer.toString(db).getBytes(StandardCharsets.US_ASCII)});
            selectedDb = db;
        }
        appendCommand(command);
    }

    /** Writes {@code args} as a RESP array of bulk strings, in no database. */
    protected final void appendCommand(byte[][] args) {
        header('*', args.length);
        for (byte[] arg : args) {
            header('$', arg.length);
            appendBytes(arg);
            appendBytes(CRLF);
        }
    }

    /** {@code kind}, {@code count} in decimal (never negative), CRLF: written in place, as every write has several. */
    private void header(char kind, int count) {
        ensure(24);
        buffer[length++] = (byte) kind;
        int end = length + RequestBytes.decimalDigits(count);
        for (int at = end - 1, left = count; at >= length; at--, left /= 10) {
            buffer[at] = (byte) ('0' + left % 10);
        }
        length = end;
        buffer[length++] = '\r';
        buffer[length++] = '\n';
    }


    protected final void appendBytes(byte[] data) {
        ensure(data.length);
        System.arraycopy(data, 0, buffer, length, data.length);
        length += data.length;
    }

    private void ensure(int more) {
        if (length + more > buffer.length) {
            buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, length + more));
        }
    }

    /** Bytes written and not taken yet. */
    protected final int bufferedBytes() {
        return length;
    }

    /** What was written since the last call, or null if nothing was; the buffer starts over. */
    protected final byte[] takeBytes() {
        if (length == 0) {
            return null;
        }
        byte[] taken = Arrays.copyOf(buffer, length);
        clearBuffer();
        return taken;
    }

    /**
     * The buffer itself, its first {@link #bufferedBytes()} written: for a subclass that copies them
     * where they go, then calls {@link #clearBuffer()}, rather than take a copy of its own.
     */
    protected final byte[] buffer() {
        return buffer;
    }

    /** The buffer starts over (and gives back what a large unit made it grow to). */
    protected final void clearBuffer() {
        length = 0;
        if (buffer.length > 1 << 20) {
            buffer = new byte[INITIAL_BYTES];
        }
    }
}
