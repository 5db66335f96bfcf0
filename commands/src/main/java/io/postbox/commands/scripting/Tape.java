package io.postbox.commands.scripting;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import party.iroiro.luajava.Lua;

/**
 * The buffer values cross on between Java and one Lua state's native layer, in the format
 * {@link NativeLua} describes. Java writes from the start with relative puts and reads with absolute
 * gets; C is told of every new buffer. Executor thread only.
 */
final class Tape {

    static final int INITIAL_BYTES = 16 * 1024;
    /** A tape grown past this for a big value goes back to the initial size after the script. */
    private static final int KEPT_BYTES = 1024 * 1024;
    /**
     * Strings up to this long cross as one long store or load: ByteBuffer's bulk put and get move up to
     * 6 bytes one checked byte at a time (JDK 17), and most strings a script passes are that short
     * (command names, keys, small numbers). A script of two redis.call('GET') went from 978-1013 to
     * 947-969 ns (ScriptCallBenchmark).
     */
    private static final int WORD = Long.BYTES;
    private static final boolean BIG_ENDIAN = ByteOrder.nativeOrder() == ByteOrder.BIG_ENDIAN;

    private final long bridge;
    private ByteBuffer buffer;

    Tape(long bridge) {
        this.bridge = bridge;
        replace(INITIAL_BYTES, 0);
    }

    /** Starts writing from the beginning. */
    void clear() {
        buffer.clear();
    }

    int position() {
        return buffer.position();
    }

    /** Pushes the first {@code count} values written onto {@code lua}'s stack. */
    void pushTo(Lua lua, int count) {
        if (!NativeLua.pushTape(lua.getPointer(), bridge, count)) {
            throw new IllegalStateException("Lua's stack cannot hold the values");
        }
    }

    /** Keeps a tape grown for a big value no longer than needed. */
    void trim() {
        if (buffer.capacity() > KEPT_BYTES) {
            replace(INITIAL_BYTES, 0);
        }
    }

    // Writing

    void nil() {
        tag(NativeLua.NIL);
    }

    void bool(boolean value) {
        tag(value ? NativeLua.TRUE : NativeLua.FALSE);
    }

    void number(double value) {
        room(9);
        buffer.put(NativeLua.NUMBER).putDouble(value);
    }

    void string(byte[] value) {
        header(NativeLua.STRING, value.length);
        if (value.length <= WORD) {
            // The word's bytes past the string are left as garbage; what follows overwrites them.
            room(WORD);
            int at = buffer.position();
            buffer.putLong(at, inMemoryOrder(word(value))).position(at + value.length);
        } else {
            room(value.length);
            buffer.put(value);
        }
    }

    /** An aggregate of {@code count} elements ({@link NativeLua#ARRAY}, HASH pairs, SET members) follows. */
    void header(byte tag, int count) {
        room(5);
        buffer.put(tag).putInt(count);
    }

    private void tag(byte tag) {
        room(1);
        buffer.put(tag);
    }

    // Reading

    byte tagAt(int at) {
        return buffer.get(at);
    }

    int intAt(int at) {
        return buffer.getInt(at);
    }

    double doubleAt(int at) {
        return buffer.getDouble(at);
    }

    byte[] bytesAt(int at, int length) {
        byte[] bytes = new byte[length];
        if (length <= WORD && at + WORD <= buffer.limit()) {
            long word = inMemoryOrder(buffer.getLong(at));
            for (int i = 0; i < length; i++) {
                bytes[i] = (byte) (word >>> (8 * i));
            }
        } else {
            buffer.get(at, bytes);
        }
        return bytes;
    }

    /** Up to 8 bytes as a long, the first in the lowest byte. */
    private static long word(byte[] bytes) {
        long word = 0;
        for (int i = bytes.length - 1; i >= 0; i--) {
            word = word << 8 | bytes[i] & 0xff;
        }
        return word;
    }

    /** Converts between {@link #word}'s order and the tape's, which is the machine's own. */
    private static long inMemoryOrder(long word) {
        return BIG_ENDIAN ? Long.reverseBytes(word) : word;
    }

    /** The {@code count} strings C wrote from the start (redis.call's arguments). */
    byte[][] strings(int count) {
        byte[][] strings = new byte[count][];
        int at = 0;
        for (int i = 0; i < count; i++) {
            int length = buffer.getInt(at + 1);
            strings[i] = bytesAt(at + 5, length);
            at += 5 + length;
        }
        return strings;
    }

    /** Makes the tape hold at least {@code bytes}, keeping its content (C asks, writing a big value). */
    void grow(long bytes) {
        if (bytes > buffer.capacity()) {
            replace(grownCapacity(bytes), buffer.capacity());
        }
    }

    private void room(int bytes) {
        if (buffer.remaining() < bytes) {
            replace(grownCapacity((long) buffer.position() + bytes), buffer.position());
        }
    }

    /** Doubling, so that a value written a piece at a time costs amortised constant copies. */
    private int grownCapacity(long bytes) {
        long limit = Integer.MAX_VALUE - 8;
        if (bytes > limit) {
            throw new OutOfMemoryError("a script value of " + bytes + " bytes does not fit a tape");
        }
        return (int) Math.min(limit, Math.max(bytes, 2L * buffer.capacity()));
    }

    /** A new buffer of {@code capacity} bytes holding the first {@code kept} bytes of the old one. */
    private void replace(int capacity, int kept) {
        ByteBuffer grown = ByteBuffer.allocateDirect(capacity).order(ByteOrder.nativeOrder());
        if (kept > 0) {
            grown.put(buffer.duplicate().position(0).limit(kept));
        }
        buffer = grown;
        NativeLua.retarget(bridge, grown);
    }
}
