package io.postbox.commands.connection;

import io.postbox.commands.Client;
import io.postbox.commands.Client.ReplyMode;
import io.postbox.commands.Command;
import io.postbox.commands.Errors;
import io.postbox.commands.Help;
import io.postbox.commands.Invocation;
import io.postbox.commands.Numbers;
import io.postbox.commands.admin.LogLevel;
import io.postbox.commands.config.ConfigCommands;
import io.postbox.commands.config.MemoryUnits;
import io.postbox.commands.keyspace.Database;
import io.postbox.resp.ErrorReply;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * DEBUG, with the subcommands that make sense without Redis's internals: SLEEP, ERROR, LOG, POPULATE, OBJECT,
 * SET-ACTIVE-EXPIRE, SET-DISABLE-DENY-SCRIPTS, PROTOCOL, CONFIG-REWRITE-FORCE-ALL, DIGEST, DIGEST-VALUE, RELOAD,
 * LOADAOF, AOF-FLUSH-SLEEP, QUICKLIST-PACKED-THRESHOLD, PAUSE-CRON, REPLYBUFFER and HELP.
 * As in Redis it is protected: it runs only where {@code enable-debug-command} allows, {@code yes} for
 * every client or {@code local} for local ones.
 *
 * <p>DEBUG SLEEP stops the whole server, as in Redis, but without sleeping on the executor: it
 * freezes command processing through {@link ClientPause#sleep} and replies from a timer.
 */
final class DebugCommand {

    private static final ErrorReply NO_SUCH_KEY = new ErrorReply("ERR no such key");
    private static final byte[] KEY_PREFIX = "key".getBytes(StandardCharsets.US_ASCII);
    /** Redis formats a key's name into a buffer of 128 bytes, its terminating zero included. */
    private static final int MAX_NAME_BYTES = 127;

    /** C's (long long) conversion of a double gives LLONG_MIN beyond this, and for NaN. */
    private static final double LONG_RANGE = 0x1p63;
    /** The largest packed threshold Redis takes: 1 MB short of 4 GB. */
    private static final long MAX_PACKED_THRESHOLD = (1L << 32) - (1 << 20);

    private DebugCommand() {
    }

    static Command command() {
        return Command.builder("debug").arity(-2).flags("admin noscript loading stale").group("server")
                .summary("Runs a debugging subcommand; DEBUG HELP lists them.").since("1.0.0")
                .complexity("Depends on subcommand.").docFlags("syscmd").protectedBy("enable-debug-command")
                .handler(DebugCommand::debug).build();
    }

    static void debug(Invocation call) {
        if (OptionWords.is(call, 1, "help") && call.argc() == 2) {
            Help.reply(call,
                    "SLEEP <seconds>",
                    "    Stop serving every client for that long (decimals allowed), then reply.",
                    "ERROR <text>",
                    "    Reply with <text> as an error, for testing clients.",
                    "LOG <message>",
                    "    Write <message> to the server log.",
                    "POPULATE <count> [<prefix>] [<size>]",
                    "    Create string keys <prefix>:0 to <prefix>:<count-1> (prefix 'key') that do not exist yet,",
                    "    valued value:<n>, cut or padded with zero bytes to <size> if given. They are not",
                    "    counted as changes, and not logged to the append-only file.",
                    "OBJECT <key>",
                    "    Show low level info about the value of <key>, expired or not: its encoding, the bytes it",
                    "    takes in an RDB file, its access clock, and for a list its chunks.",
                    "SET-ACTIVE-EXPIRE <0|1>",
                    "    0: the cron stops reclaiming expired keys, which then go only when touched; 1: it resumes.",
                    "CONFIG-REWRITE-FORCE-ALL",
                    "    Like CONFIG REWRITE, but writes every option, those at their default value too.",
                    "PROTOCOL <type>",
                    "    Reply with a test value of a RESP type: string|integer|double|bignum|null|array|set|map|",
                    "    attrib|push|verbatim|true|false.",
                    "SET-SKIP-CHECKSUM-VALIDATION <0|1>",
                    "    1: RESTORE and FUNCTION RESTORE take payloads whatever their checksum (for tests); 0: not.",
                    "SET-DISABLE-DENY-SCRIPTS <0|1>",
                    "    1: scripts may run commands that are not allowed from scripts (for tests); 0: they may not.",
                    "DIGEST",
                    "    A hex signature of the whole dataset, computed as Redis computes it.",
                    "DIGEST-VALUE <key> [<key> ...]",
                    "    A hex signature of each key's value (forty zeros for a missing key).",
                    "RELOAD [MERGE] [NOFLUSH] [NOSAVE]",
                    "    Save the RDB file (unless NOSAVE), empty the dataset (unless NOFLUSH) and load the file",
                    "    back, while every other client waits; with MERGE, the file's keys and libraries replace",
                    "    those kept.",
                    "LOADAOF",
                    "    Write out the append-only file, empty the dataset and load it back from the file.",
                    "REPLICATE <string> [<string> ...]",
                    "    Send the command to the replicas alone, letting their data diverge (for tests).",
                    "AOF-FLUSH-SLEEP <microsec>",
                    "    The append-only file's writer sleeps that long before each write (for tests).",
                    "PAUSE-CRON <0|1>",
                    "    Stop periodic cron job processing.",
                    "REPLYBUFFER PEAK-RESET-TIME <NEVER|RESET|time>",
                    "REPLYBUFFER RESIZING <0|1>",
                    "    Accepted for Redis's tests, which tune how Redis resizes each client's fixed reply buffer.",
                    "    Postbox has no such buffer: nothing changes.",
                    "QUICKLIST-PACKED-THRESHOLD <size>",
                    "    Accepted for Redis's tests, which set the element size from which Redis gives an element a",
                    "    list node of its own. Postbox's lists have no such nodes: nothing changes.");
        } else if (OptionWords.is(call, 1, "sleep") && call.argc() == 3) {
            sleep(call);
        } else if (OptionWords.is(call, 1, "log") && call.argc() == 3) {
            call.engine().process().log(LogLevel.WARNING, "DEBUG LOG: " + call.argString(2));
            call.reply().ok();
        } else if (OptionWords.is(call, 1, "error") && call.argc() == 3) {
            throw new ErrorReply(call.argString(2));
        } else if (OptionWords.is(call, 1, "populate") && call.argc() >= 3 && call.argc() <= 5) {
            populate(call);
        } else if (OptionWords.is(call, 1, "set-active-expire") && call.argc() == 3) {
            call.engine().activeExpire(switchedOn(call.arg(2)));
            call.reply().ok();
        } else if (OptionWords.is(call, 1, "config-rewrite-force-all") && call.argc() == 2) {
            ConfigCommands.rewrite(call, true);
        } else if (OptionWords.is(call, 1, "protocol") && call.argc() == 3) {
            DebugProtocol.reply(call);
        } else if (OptionWords.is(call, 1, "set-skip-checksum-validation") && call.argc() == 3) {
            call.engine().dumpPayloads().skipChecksums(switchedOn(call.arg(2)));
            call.reply().ok();
        } else if (OptionWords.is(call, 1, "set-disable-deny-scripts") && call.argc() == 3) {
            call.engine().scriptsMayRunNoscript(switchedOn(call.arg(2)));
            call.reply().ok();
        } else if (OptionWords.is(call, 1, "object") && call.argc() == 3) {
            String description = call.db().describe(call.arg(2), call.engine().dumpPayloads());
            if (description == null) {
                throw NO_SUCH_KEY;
            }
            call.reply().simple(description);
        } else if (OptionWords.is(call, 1, "digest") && call.argc() == 2) {
            call.reply().simple(new DatasetDigest().ofDataset(call.engine()));
        } else if (OptionWords.is(call, 1, "digest-value")) {
            DatasetDigest digest = new DatasetDigest();
            call.reply().array(call.argc() - 2);
            for (int i = 2; i < call.argc(); i++) {
                call.reply().simple(digest.ofValue(call.db(), call.arg(i)));
            }
        } else if (OptionWords.is(call, 1, "reload")) {
            refuseInTransaction(call);
            reload(call);
        } else if (OptionWords.is(call, 1, "aof-flush-sleep") && call.argc() == 3) {
            call.engine().durability().aofFlushSleep((long) CDouble.strtod(call.arg(2)));
            call.reply().ok();
        } else if (OptionWords.is(call, 1, "replicate") && call.argc() >= 3) {
            byte[][] command = new byte[call.argc() - 2][];
            for (int i = 0; i < command.length; i++) {
                command[i] = call.arg(i + 2);
            }
            call.engine().replicationFeed().replicate(command);
            call.reply().ok();
        } else if (OptionWords.is(call, 1, "pause-cron") && call.argc() == 3) {
            call.engine().pauseCron(switchedOn(call.arg(2)));
            call.reply().ok();
        } else if (OptionWords.is(call, 1, "replybuffer") && call.argc() == 4) {
            checkReplyBufferSetting(call);
            call.reply().ok();
        } else if (OptionWords.is(call, 1, "quicklist-packed-threshold") && call.argc() == 3) {
            checkPackedThreshold(call.argString(2));
            call.reply().ok();
        } else if (OptionWords.is(call, 1, "loadaof")) {
            refuseInTransaction(call);
            FrozenServerWork.run(call, ClientPause.Purpose.DEBUG_RELOAD,
                    done -> call.engine().durability().reloadAppendOnlyFile(done));
        } else {
            throw Help.subcommandSyntaxError(call);
        }
    }

    /**
     * RELOAD and LOADAOF reply when the load is over, after the replies of EXEC's later commands would
     * have gone: inside a transaction they are refused (Redis runs them there, holding its thread).
     */
    private static void refuseInTransaction(Invocation call) {
        if (call.client().denyBlocking()) {
            throw new ErrorReply("ERR DEBUG RELOAD and DEBUG LOADAOF cannot run inside MULTI or a script in Postbox");
        }
    }

    /**
     * DEBUG RELOAD [MERGE] [NOFLUSH] [NOSAVE], options in any order and case. Without MERGE, a key or
     * library kept by NOFLUSH that the file has too stops the load, as in Redis (which asserts on a key).
     */
    private static void reload(Invocation call) {
        boolean save = true;
        boolean flush = true;
        boolean merge = false;
        for (int i = 2; i < call.argc(); i++) {
            if (call.argIs(i, "nosave")) {
                save = false;
            } else if (call.argIs(i, "noflush")) {
                flush = false;
            } else if (call.argIs(i, "merge")) {
                merge = true;
            } else {
                throw new ErrorReply("ERR DEBUG RELOAD only supports the MERGE, NOFLUSH and NOSAVE options.");
            }
        }
        boolean saveFirst = save;
        boolean flushFirst = flush;
        boolean merging = merge;
        FrozenServerWork.run(call, ClientPause.Purpose.DEBUG_RELOAD,
                done -> call.engine().durability().reload(saveFirst, flushFirst, merging, done));
    }

    /**
     * QUICKLIST-PACKED-THRESHOLD's size, checked as Redis checks it (0 restores its default). Redis keeps
     * elements from that size on in "plain" list nodes of their own. Postbox's list chunks take elements
     * of any size and its snapshots write every node packed, which Redis loads, so there is no threshold
     * to set.
     */
    /** REPLYBUFFER's arguments, checked as Redis checks them. */
    private static void checkReplyBufferSetting(Invocation call) {
        if (OptionWords.is(call, 2, "peak-reset-time")) {
            if (!OptionWords.is(call, 3, "never") && !OptionWords.is(call, 3, "reset")) {
                Numbers.parseLong(call.arg(3));
            }
        } else if (!OptionWords.is(call, 2, "resizing")) {
            throw Help.subcommandSyntaxError(call);
        }
    }

    private static void checkPackedThreshold(String size) {
        Long bytes = MemoryUnits.parse(size);
        if (bytes == null || Long.compareUnsigned(bytes, MAX_PACKED_THRESHOLD) > 0) {
            throw new ErrorReply("ERR argument must be a memory value bigger than 1 and smaller than 4gb");
        }
    }

    /** A 0/1 switch read as C's atoi reads it, as Redis does: the leading integer, 0 if there is none. */
    private static boolean switchedOn(byte[] value) {
        return (long) CDouble.strtod(value) != 0;
    }

    /**
     * Seconds are read as C's strtod reads them (the longest numeric prefix, 0 if none), converted to
     * whole microseconds as Redis does; zero, negative, infinite or NaN durations do not sleep.
     */
    private static void sleep(Invocation call) {
        double seconds = CDouble.strtod(call.arg(2));
        double micros = seconds * 1_000_000;
        if (!(micros >= 1 && micros < LONG_RANGE)) {
            call.reply().ok();
            return;
        }
        long millis = Math.max(1, ((long) micros + 999) / 1000);
        Client client = call.client();
        if (client.denyBlocking()) {
            // Inside EXEC the reply takes its place among the others now; the server still sleeps.
            call.reply().ok();
            call.engine().pause().sleep(millis, () -> { });
            return;
        }
        // The reply is written when the sleep ends; whether it is suppressed is decided now.
        boolean silent = client.replyMode() != ReplyMode.ON;
        Invocation.End end = call.outlastHandler();
        call.engine().pause().sleep(millis, () -> {
            if (!silent) {
                client.reply().ok();
            }
            end.ended(false);
        });
    }

    /**
     * As Redis names and fills the keys: the prefix ends at its first zero byte, as a C string does, and
     * names are cut to 127 bytes (so a long prefix can make names collide, and the collisions are
     * skipped as existing keys are). Redis has no bound on the size; here it is proto-max-bulk-len.
     */
    private static void populate(Invocation call) {
        long count = Numbers.parseLongInRange(call.arg(2), 0, Long.MAX_VALUE, Errors.NOT_POSITIVE);
        long size = call.argc() < 5 ? 0 : Numbers.parseLongInRange(call.arg(4), 0, Long.MAX_VALUE, Errors.NOT_POSITIVE);
        long maxSize = Math.min(call.engine().config().getLong("proto-max-bulk-len"), Integer.MAX_VALUE - 8);
        if (size > maxSize) {
            throw Errors.STRING_TOO_LONG;
        }
        byte[] prefix = call.argc() == 3 ? KEY_PREFIX : untilZeroByte(call.arg(3));
        Database db = call.db();
        for (long n = 0; n < count; n++) {
            byte[] key = nameOf(prefix, n);
            byte[] value = ("value:" + n).getBytes(StandardCharsets.US_ASCII);
            db.populate(key, size == 0 ? value : Arrays.copyOf(value, (int) size));
        }
        call.reply().ok();
    }

    private static byte[] untilZeroByte(byte[] text) {
        for (int i = 0; i < text.length; i++) {
            if (text[i] == 0) {
                return Arrays.copyOf(text, i);
            }
        }
        return text;
    }

    /** {@code prefix:n}, cut to the 127 bytes of Redis's name buffer. */
    private static byte[] nameOf(byte[] prefix, long n) {
        byte[] suffix = (":" + n).getBytes(StandardCharsets.US_ASCII);
        byte[] name = Arrays.copyOf(prefix, Math.min(prefix.length + suffix.length, MAX_NAME_BYTES));
        if (prefix.length < name.length) {
            System.arraycopy(suffix, 0, name, prefix.length, name.length - prefix.length);
        }
        return name;
    }
}
