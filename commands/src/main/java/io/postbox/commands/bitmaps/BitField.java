package io.postbox.commands.bitmaps;

import io.postbox.commands.Errors;
import io.postbox.commands.Invocation;
import io.postbox.commands.Numbers;
import io.postbox.commands.keyspace.GrowingString;
import io.postbox.commands.keyspace.Notify;
import io.postbox.resp.ErrorReply;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * BITFIELD and BITFIELD_RO: integers of 1 to 64 bits (unsigned: up to 63) at any bit offset of a
 * string, most significant bit first, read (GET), written (SET, replying the old value) or
 * incremented (INCRBY, replying the new one), with overflow wrapped, saturated or refused (a null
 * reply) as the OVERFLOW before them says. Every operation is parsed before any runs; a write grows
 * the string to the farthest bit written first, and reads past its end see zero bits.
 */
final class BitField {

    private static final ErrorReply BAD_TYPE = Errors.err(
            "Invalid bitfield type. Use something like i16 u8. Note that u64 is not supported but i64 is.");

    private enum Kind { GET, SET, INCRBY }

    private enum Overflow { WRAP, SAT, FAIL }

    /** What a SET or INCRBY did to its field: failed on overflow, wrote the value it had, or changed it. */
    private enum Written { FAILED, SAME, CHANGED }

    /** One parsed operation: an integer field of {@code bits} bits at bit {@code offset}. */
    private record Operation(Kind kind, boolean signed, int bits, long offset, long value, Overflow overflow) {

        long end() {
            return offset + bits;
        }
    }

    private BitField() {
    }

    static void bitfield(Invocation call) {
        run(call, false);
    }

    static void bitfieldRo(Invocation call) {
        run(call, true);
    }

    private static void run(Invocation call, boolean readOnly) {
        List<Operation> operations = parse(call);
        boolean writes = false;
        long end = 0;
        for (Operation operation : operations) {
            if (operation.kind() != Kind.GET) {
                writes = true;
                end = Math.max(end, operation.end());
            }
        }
        byte[] key = call.arg(1);
        if (!writes) {
            Object string = call.db().getString(key);
            call.reply().array(operations.size());
            for (Operation operation : operations) {
                call.reply().integer(get(string, operation));
            }
            return;
        }
        if (readOnly) {
            throw Errors.err("BITFIELD_RO only supports the GET subcommand");
        }
        Object current = call.db().getStringForWrite(key);
        int length = (int) ((end + 7) >>> 3);
        boolean grows = BitStrings.grows(current, length);
        GrowingString string = BitStrings.toChange(call.db(), key, current, length);
        call.reply().array(operations.size());
        // Redis counts the writes that ran (not failed on overflow) and changed the string: all of them
        // if it grew, else those that changed their field.
        int changes = 0;
        for (Operation operation : operations) {
            if (operation.kind() == Kind.GET) {
                call.reply().integer(get(string, operation));
            } else {
                Written written = write(call, string.buffer(), operation);
                if (written == Written.CHANGED || written == Written.SAME && grows) {
                    changes++;
                }
            }
        }
        if (changes > 0) {
            call.db().changedInPlace(key, current, string, changes);
            call.db().notify(Notify.STRING, "setbit", key);
        } else if (current == null) {
            // Redis keeps the string it made for a missing key even if every write failed, unsignalled.
            call.db().addUnsignalled(key, string);
        }
    }

    private static List<Operation> parse(Invocation call) {
        List<Operation> operations = new ArrayList<>();
        Overflow overflow = Overflow.WRAP;
        int i = 2;
        while (i < call.argc()) {
            int left = call.argc() - i - 1;
            Kind kind;
            if (call.argIs(i, "get") && left >= 2) {
                kind = Kind.GET;
            } else if (call.argIs(i, "set") && left >= 3) {
                kind = Kind.SET;
            } else if (call.argIs(i, "incrby") && left >= 3) {
                kind = Kind.INCRBY;
            } else if (call.argIs(i, "overflow") && left >= 1) {
                overflow = overflow(call, i + 1);
                i += 2;
                continue;
            } else {
                throw Errors.SYNTAX;
            }
            byte[] type = call.arg(i + 1);
            boolean signed = type.length > 0 && (type[0] == 'i' || type[0] == 'I');
            if (!signed && (type.length == 0 || (type[0] != 'u' && type[0] != 'U'))) {
                throw BAD_TYPE;
            }
            long bits = Numbers.parseLong(Arrays.copyOfRange(type, 1, type.length), BAD_TYPE);
            if (bits < 1 || bits > (signed ? 64 : 63)) {
                throw BAD_TYPE;
            }
            long offset = BitStrings.offset(call, i + 2, (int) bits);
            long value = kind == Kind.GET ? 0 : call.longArg(i + 3);
            operations.add(new Operation(kind, signed, (int) bits, offset, value, overflow));
            i += kind == Kind.GET ? 3 : 4;
        }
        return operations;
    }

    private static Overflow overflow(Invocation call, int i) {
        for (Overflow overflow : Overflow.values()) {
            if (call.argIs(i, overflow.name().toLowerCase(Locale.ROOT))) {
                return overflow;
            }
        }
        throw Errors.err("Invalid OVERFLOW type specified");
    }

    /** The field's value in a string (either form, or null for a missing key: zero bits). */
    private static long get(Object string, Operation operation) {
        if (string == null) {
            return 0;
        }
        long raw = read(GrowingString.bytesOf(string), GrowingString.length(string), operation.offset(),
                operation.bits());
        return operation.signed() ? signExtend(raw, operation.bits()) : raw;
    }

    /** SET or INCRBY on a string already long enough for the field: replies, then writes unless refused. */
    private static Written write(Invocation call, byte[] bytes, Operation operation) {
        long old = read(bytes, bytes.length, operation.offset(), operation.bits());
        if (operation.signed()) {
            old = signExtend(old, operation.bits());
        }
        long increment = operation.kind() == Kind.INCRBY ? operation.value() : 0;
        long base = operation.kind() == Kind.INCRBY ? old : operation.value();
        Long result = operation.signed()
                ? signedResult(base, increment, operation.bits(), operation.overflow())
                : unsignedResult(base, increment, operation.bits(), operation.overflow());
        if (result == null) {
            call.reply().nullBulk();
            return Written.FAILED;
        }
        call.reply().integer(operation.kind() == Kind.INCRBY ? result : old);
        writeBits(bytes, operation.offset(), operation.bits(), result);
        return result == old ? Written.SAME : Written.CHANGED;
    }

    /**
     * {@code base + increment} as a signed field of {@code bits} bits, or on overflow: the low bits of
     * the sum sign-extended (WRAP), the nearest limit (SAT), or null (FAIL).
     */
    static Long signedResult(long base, long increment, int bits, Overflow overflow) {
        long max = bits == 64 ? Long.MAX_VALUE : (1L << (bits - 1)) - 1;
        long min = -max - 1;
        long sum = base + increment;
        boolean sumOverflows = ((base ^ sum) & (increment ^ sum)) < 0;
        boolean above = sumOverflows ? increment > 0 : sum > max;
        boolean below = sumOverflows ? increment < 0 : sum < min;
        if (!above && !below) {
            return sum;
        }
        return switch (overflow) {
            case WRAP -> signExtend(sum, bits);
            case SAT -> above ? max : min;
            case FAIL -> null;
        };
    }

    /**
     * {@code base + increment} as an unsigned field of {@code bits} bits (at most 63); a SET value
     * ({@code increment} 0) read as unsigned, so a negative one is above the range. On overflow: the
     * low bits of the sum (WRAP), the nearest limit (SAT), or null (FAIL).
     */
    static Long unsignedResult(long base, long increment, int bits, Overflow overflow) {
        long max = (1L << bits) - 1;
        long sum = base + increment;
        boolean above;
        boolean below = false;
        if (base < 0 || base > max) {
            above = true;
        } else {
            // base is within [0, 2^63): the sum leaves the long range only upwards.
            boolean sumOverflows = increment > 0 && sum < 0;
            above = sumOverflows || sum > max;
            below = !sumOverflows && sum < 0;
        }
        if (!above && !below) {
            return sum;
        }
        return switch (overflow) {
            case WRAP -> sum & max;
            case SAT -> above ? max : 0L;
            case FAIL -> null;
        };
    }

    private static long signExtend(long value, int bits) {
        return bits == 64 ? value : value << (64 - bits) >> (64 - bits);
    }

    /** {@code bits} bits from bit {@code offset}, unsigned; bits past {@code length} bytes read as zero. */
    private static long read(byte[] bytes, int length, long offset, int bits) {
        long value = 0;
        for (int i = 0; i < bits; i++) {
            long bit = offset + i;
            int index = (int) (bit >>> 3);
            int set = index < length ? (bytes[index] >>> (7 - (bit & 7))) & 1 : 0;
            value = value << 1 | set;
        }
        return value;
    }

    private static void writeBits(byte[] bytes, long offset, int bits, long value) {
        for (int i = 0; i < bits; i++) {
            long bit = offset + i;
            int index = (int) (bit >>> 3);
            int mask = 0x80 >>> (bit & 7);
            boolean set = (value >>> (bits - 1 - i) & 1) != 0;
            bytes[index] = (byte) (set ? bytes[index] | mask : bytes[index] & ~mask);
        }
    }
}
