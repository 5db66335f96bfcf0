package io.postbox.commands.hyperloglog;

import io.postbox.commands.Errors;
import io.postbox.commands.Invocation;
import io.postbox.commands.connection.ClientPause;
import io.postbox.commands.connection.FrozenServerWork;
import io.postbox.commands.keyspace.Database;
import io.postbox.commands.keyspace.GrowingString;
import io.postbox.commands.keyspace.Notify;
import io.postbox.resp.ErrorReply;
import java.util.Locale;
import java.util.Random;

/**
 * PFADD, PFCOUNT, PFMERGE, PFDEBUG and PFSELFTEST over {@link Hll} strings, which they change in place. A key of
 * another type gets the usual WRONGTYPE; a string that is not an HLL gets Redis's own WRONGTYPE text,
 * and one whose sparse runs are broken INVALIDOBJ.
 */
final class PfCommands {

    private static final ErrorReply NOT_HLL = new ErrorReply("WRONGTYPE Key is not a valid HyperLogLog string value.");
    private static final ErrorReply CORRUPT = new ErrorReply("INVALIDOBJ Corrupted HLL object detected");

    private PfCommands() {
    }

    /** Adds elements, creating the key if needed; replies 1 if a register changed (or the key is new). */
    static void pfadd(Invocation call) {
        Database db = call.db();
        byte[] key = call.arg(1);
        Object current = db.getStringForWrite(key);
        GrowingString hll = current == null ? GrowingString.owning(Hll.empty()) : db.growing(key, checked(current));
        // As Redis's dirty counter counts it: one for a new key, one per element that changed a register.
        int updated = current == null ? 1 : 0;
        long sparseMaxBytes = sparseMaxBytes(call);
        for (int i = 2; i < call.argc(); i++) {
            int added = Hll.add(hll, call.arg(i), sparseMaxBytes);
            if (added < 0) {
                throw CORRUPT;
            }
            updated += added;
        }
        if (updated > 0) {
            Hll.invalidateCache(hll.buffer());
            db.changedInPlace(key, current, hll);
            db.countChanges(updated - 1);
            db.notify(Notify.STRING, "pfadd", key);
        }
        call.reply().integer(updated > 0 ? 1 : 0);
    }

    /**
     * The estimated cardinality of one HLL, from its cache or computed and cached (a change of the
     * string, as in Redis); of several, the estimate of their union, cached nowhere.
     */
    static void pfcount(Invocation call) {
        Database db = call.db();
        if (call.argc() > 2) {
            byte[] union = new byte[Hll.REGISTERS];
            for (int i = 1; i < call.argc(); i++) {
                mergeInto(union, db.getString(call.arg(i)));
            }
            call.reply().integer(Hll.estimate(Hll.histogram(union)));
            return;
        }
        byte[] key = call.arg(1);
        Object value = db.getString(key);
        if (value == null) {
            call.reply().integer(0);
            return;
        }
        byte[] bytes = GrowingString.bytesOf(checked(value));
        if (Hll.cacheValid(bytes)) {
            call.reply().integer(Hll.cachedCardinality(bytes));
            return;
        }
        int[] histogram = Hll.histogram(bytes, GrowingString.length(value));
        if (histogram == null) {
            throw CORRUPT;
        }
        long cardinality = Hll.estimate(histogram);
        Hll.cacheCardinality(db.growing(key, db.getStringForWrite(key)).buffer(), cardinality);
        db.modified(key);
        call.reply().integer(cardinality);
    }

    /**
     * Stores the union of the HLLs (the destination's own registers included) in the destination,
     * dense if any of them was.
     */
    static void pfmerge(Invocation call) {
        Database db = call.db();
        byte[] union = new byte[Hll.REGISTERS];
        boolean dense = false;
        for (int i = 1; i < call.argc(); i++) {
            Object value = db.getString(call.arg(i));
            mergeInto(union, value);
            dense |= value != null && Hll.isDense(GrowingString.bytesOf(value));
        }
        byte[] key = call.arg(1);
        Object current = db.getStringForWrite(key);
        GrowingString hll = current == null ? GrowingString.owning(Hll.empty()) : db.growing(key, current);
        if (dense && !Hll.toDense(hll)) {
            throw CORRUPT;
        }
        long sparseMaxBytes = sparseMaxBytes(call);
        for (int register = 0; register < Hll.REGISTERS; register++) {
            if (union[register] != 0) {
                Hll.raise(hll, register, union[register], sparseMaxBytes);
            }
        }
        Hll.invalidateCache(hll.buffer());
        db.changedInPlace(key, current, hll);
        db.notify(Notify.STRING, "pfadd", key);
        call.reply().ok();
    }

    /** PFDEBUG GETREG | DECODE | ENCODING | TODENSE key: an HLL's registers and encoding, for tests. */
    static void pfdebug(Invocation call) {
        Database db = call.db();
        byte[] key = call.arg(2);
        Object current = db.getStringForWrite(key);
        if (current == null) {
            throw Errors.err("The specified key does not exist");
        }
        GrowingString hll = db.growing(key, checked(current));
        String subcommand = call.argString(1).toLowerCase(Locale.ROOT);
        switch (subcommand) {
            case "getreg" -> {
                toDense(db, key, hll);
                call.reply().array(Hll.REGISTERS);
                for (int register = 0; register < Hll.REGISTERS; register++) {
                    call.reply().integer(Hll.denseGet(hll.buffer(), register));
                }
            }
            case "decode" -> {
                if (Hll.isDense(hll.buffer())) {
                    throw Errors.err("HLL encoding is not sparse");
                }
                call.reply().bulk(Hll.decode(hll.buffer(), hll.length()));
            }
            case "encoding" -> call.reply().simple(Hll.isDense(hll.buffer()) ? "dense" : "sparse");
            case "todense" -> call.reply().integer(toDense(db, key, hll) ? 1 : 0);
            default -> throw Errors.err("Unknown PFDEBUG subcommand '" + call.argString(1) + "'");
        }
    }

    /** Makes the HLL dense, signalling the change; true if it was sparse. */
    private static boolean toDense(Database db, byte[] key, GrowingString hll) {
        if (Hll.isDense(hll.buffer())) {
            return false;
        }
        if (!Hll.toDense(hll)) {
            throw CORRUPT;
        }
        db.modified(key);
        return true;
    }

    private static void mergeInto(byte[] union, Object value) {
        if (value == null) {
            return;
        }
        if (!Hll.mergeInto(union, GrowingString.bytesOf(checked(value)), GrowingString.length(value))) {
            throw CORRUPT;
        }
    }

    /** The string value, if it is an HLL; Redis's WRONGTYPE text for one that is not. */
    private static Object checked(Object string) {
        if (!Hll.isHll(GrowingString.bytesOf(string), GrowingString.length(string))) {
            throw NOT_HLL;
        }
        return string;
    }

    /**
     * PFSELFTEST: {@link HllSelfTest}'s checks, then OK or the failure. Redis runs them on its only
     * thread, serving nobody meanwhile; here every client is frozen the same way, but the checks (about
     * half a second of CPU) run on a thread of their own, leaving the executor its I/O and timers.
     * Inside MULTI or a script, whose replies keep their order, they run on the executor, as in Redis.
     */
    static void pfselftest(Invocation call) {
        long sparseMaxBytes = sparseMaxBytes(call);
        if (call.client().denyBlocking()) {
            String failure = HllSelfTest.run(new Random(), sparseMaxBytes);
            if (failure != null) {
                throw Errors.err(failure);
            }
            call.reply().ok();
            return;
        }
        FrozenServerWork.runOnThread(call, ClientPause.Purpose.HLL_SELF_TEST, "postbox-pfselftest",
                () -> HllSelfTest.run(new Random(), sparseMaxBytes),
                failure -> failure == null ? null : Errors.err(failure));
    }

    private static long sparseMaxBytes(Invocation call) {
        return call.engine().config().getLong("hll-sparse-max-bytes");
    }
}
