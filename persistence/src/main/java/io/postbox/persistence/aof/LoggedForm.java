package io.postbox.persistence.aof;

import io.postbox.commands.Ascii;
import io.postbox.commands.Command;
import io.postbox.commands.CommandLog;
import io.postbox.commands.Invocation;
import io.postbox.commands.keyspace.Database;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What the append-only file records for a write, so that replaying it later gives the same data:
 * the command as received (by its own name, if a client called it by another), unless its effect
 * depends on when or by chance it ran. Relative expiry times become absolute ones, read from the key
 * after the command, as Redis 7 propagates them: SET with EX, PX, EXAT or PXAT, SETEX and PSETEX
 * become {@code SET key value [PXAT ms]}, and a SET without those loses its GET, as GETSET becomes
 * {@code SET key value}; EXPIRE, PEXPIRE, EXPIREAT and PEXPIREAT become {@code PEXPIREAT key ms}
 * followed by their NX, XX, GT or LT as given, or {@code DEL key} if they deleted it; GETEX becomes
 * {@code PEXPIREAT key ms} or {@code PERSIST}. Commands whose effect their arguments do not tell say
 * what to log themselves ({@link Invocation#propagateAs}: SPOP becomes SREM, INCRBYFLOAT the SET of
 * its result, LMPOP the pop of the number it took).
 */
final class LoggedForm {

    private static final byte[] SET = bytes("SET");
    private static final byte[] PXAT = bytes("PXAT");
    private static final byte[] PEXPIREAT = bytes("PEXPIREAT");
    private static final byte[] PERSIST = bytes("PERSIST");

    private LoggedForm() {
    }

    static List<byte[][]> of(Invocation call) {
        List<byte[][]> logged = asCalled(call);
        byte[] calledAs = call.args()[0];
        Command command = call.command().container() != null ? call.command().container() : call.command();
        if (Ascii.equalsIgnoreCase(calledAs, command.name())) {
            return logged;
        }
        // Called by another name (rename-command): what repeats the client's name gets the command's own.
        byte[] ownName = bytes(command.name().toUpperCase(Locale.ROOT));
        List<byte[][]> renamed = new ArrayList<>(logged.size());
        for (byte[][] entry : logged) {
            if (entry[0] == calledAs) {
                entry = entry.clone();
                entry[0] = ownName;
            }
            renamed.add(entry);
        }
        return renamed;
    }

    private static List<byte[][]> asCalled(Invocation call) {
        if (call.propagation() != null) {
            return call.propagation();
        }
        byte[][] args = call.args();
        Database db = call.db();
        switch (call.command().fullName()) {
            case "set":
                return hasExpiryOption(args) ? one(setWithExpiry(db, args[1], args[2])) : one(withoutGet(args));
            case "setex":
            case "psetex":
                return one(setWithExpiry(db, args[1], args[3]));
            case "getset":
                return one(new byte[][] {SET, args[1], args[2]});
            case "expire":
            case "pexpire":
            case "expireat":
            case "pexpireat":
                return one(expiryOf(db, args, false, 3));
            case "getex":
                return one(expiryOf(db, args, true, args.length));
            default:
                return one(args);
        }
    }

    private static List<byte[][]> one(byte[][] command) {
        return List.<byte[][]>of(command);
    }

    private static boolean hasExpiryOption(byte[][] args) {
        for (int i = 3; i < args.length; i++) {
            for (String option : new String[] {"ex", "px", "exat", "pxat"}) {
                if (Ascii.equalsIgnoreCase(args[i], option)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** SET's arguments without its GET options (they change the reply only), as Redis propagates SET. */
    private static byte[][] withoutGet(byte[][] args) {
        List<byte[]> kept = new ArrayList<>(args.length);
        for (int i = 0; i < args.length; i++) {
            if (i < 3 || !Ascii.equalsIgnoreCase(args[i], "get")) {
                kept.add(args[i]);
            }
        }
        return kept.size() == args.length ? args : kept.toArray(new byte[0][]);
    }

    private static byte[][] setWithExpiry(Database db, byte[] key, byte[] value) {
        long when = db.expireAt(key);
        return when < 0 ? new byte[][] {SET, key, value} : new byte[][] {SET, key, value, PXAT, number(when)};
    }

    /**
     * The expiry of {@code args}' key as it is now: an absolute time, then the arguments from
     * {@code optionsFrom} on (as Redis rewrites only the name and the time of the command it
     * propagates), none, or the key gone.
     */
    private static byte[][] expiryOf(Database db, byte[][] args, boolean mayPersist, int optionsFrom) {
        byte[] key = args[1];
        if (!db.exists(key)) {
            return CommandLog.deletion(key);
        }
        long when = db.expireAt(key);
        if (when < 0) {
            return mayPersist ? new byte[][] {PERSIST, key} : CommandLog.deletion(key);
        }
        byte[][] logged = new byte[3 + args.length - optionsFrom][];
        logged[0] = PEXPIREAT;
        logged[1] = key;
        logged[2] = number(when);
        System.arraycopy(args, optionsFrom, logged, 3, args.length - optionsFrom);
        return logged;
    }

    private static byte[] number(long value) {
        return bytes(Long.toString(value));
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
