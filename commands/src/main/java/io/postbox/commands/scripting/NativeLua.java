package io.postbox.commands.scripting;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

import party.iroiro.luajava.Lua;

/**
 * Postbox's own native layer ({@code src/main/native}, built with the module) over the Lua 5.1 that
 * luajava loaded: redis.call and redis.pcall as C functions, the script libraries (cjson, cmsgpack,
 * bit, struct) in C, Lua's memory, and values crossing between Java and Lua in one go instead of
 * one JNI call (and one Java string) per value.
 *
 * <p>Values cross on a {@link Tape}: a direct buffer in native byte order that both sides read and
 * write. Each value is a tag byte, then for numbers an 8-byte double, for strings a 4-byte length
 * and the bytes, for aggregates a 4-byte count and the elements. Java writes Lua values (nil,
 * booleans, numbers, strings, arrays, hashes of key-value pairs, sets whose members map to true);
 * C writes a script's result already sorted into Redis's reply types (error, counted error, status,
 * double, big number, map, set, verbatim, stack limit).
 */
public final class NativeLua {

    static final byte NIL = 0;
    static final byte FALSE = 1;
    static final byte TRUE = 2;
    static final byte NUMBER = 3;
    static final byte STRING = 4;
    static final byte ARRAY = 5;
    static final byte HASH = 6;
    static final byte SET = 7;
    static final byte ERROR = 8;
    static final byte STATUS = 9;
    static final byte DOUBLE = 10;
    static final byte BIG_NUMBER = 11;
    static final byte MAP = 12;
    static final byte VERBATIM = 13;
    static final byte STACK_LIMIT = 14;
    /** An error table marked {@code ignore_error_stats_update}: INFO errorstats counted it already. */
    static final byte COUNTED_ERROR = 15;

    private static final String LIBRARY = "libpostbox-lua.so";

    /** What the C functions call: the Java side of one Lua state. */
    interface Calls {

        /**
         * redis.call ({@code raise}) or redis.pcall with {@code argc} string arguments on the tape (-1:
         * an argument was neither string nor number); leaves the reply on the tape and returns 1 to
         * have it raised as an error, else 0.
         */
        int call(int argc, boolean raise);

        /** Makes the tape hold at least {@code bytes}, keeping what it holds. */
        void grow(long bytes);
    }

    private NativeLua() {
    }

    /** Loads the layer and binds it to luajava's Lua; luajava's library must be loaded already. */
    static synchronized void load() {
        if (loaded) {
            return;
        }
        Path file = extract();
        try {
            System.load(file.toString());
            Files.delete(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String missing = bind();
        if (missing != null) {
            throw new IllegalStateException("Postbox's Lua layer cannot bind to luajava's Lua 5.1: " + missing);
        }
        loaded = true;
    }

    private static boolean loaded;

    /** Whether {@code tag} is an error table's, counted or not. */
    static boolean isError(byte tag) {
        return tag == ERROR || tag == COUNTED_ERROR;
    }

    /** The library from the class path as a file, to be deleted once loaded. */
    private static Path extract() {
        try (InputStream in = NativeLua.class.getResourceAsStream(LIBRARY)) {
            if (in == null) {
                throw new IllegalStateException(LIBRARY + " is missing from the class path: the build compiles it with gcc");
            }
            Path file = Files.createTempFile("postbox-lua", ".so");
            Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Finds the Lua API in luajava's library; null, or the name of what is missing. */
    private static native String bind();

    /**
     * A bridge between the C functions of state {@code lua} and {@code target}, which also serves the
     * state's memory from now on; freed by {@link #close} after the state is closed.
     */
    static native long open(long lua, Calls target);

    /** Points the bridge at {@code tape} (a direct buffer) from now on. */
    static native void retarget(long bridge, ByteBuffer tape);

    static native void close(long bridge);

    /** Pushes redis.call ({@code raise}) or redis.pcall onto {@code lua}'s stack. */
    static native void pushCall(long lua, long bridge, boolean raise);

    /** Pushes the first {@code count} values on the tape; false if Lua's stack could not hold them. */
    static native boolean pushTape(long lua, long bridge, int count);

    /**
     * Pushes what the script libraries get from this layer (see
     * {@link io.postbox.commands.scripting.lib.ScriptLibraries#install}): a table of C functions,
     * {@code bridge}, which turns a library function's Lua implementation into a C function calling
     * it, and the libraries' own functions (bit, cjson, cmsgpack, struct). Loads the layer first if
     * it is not loaded yet.
     */
    public static void pushLibraryNatives(Lua lua) {
        load();
        pushLibraryNatives(lua.getPointer());
    }

    private static native void pushLibraryNatives(long lua);

    /**
     * Runs a script: the function {@code functionRef} under the sandbox's error handler
     * {@code handlerRef}, with the tape's first two values as its two arguments ({@code asArguments},
     * FCALL) or as the globals KEYS and ARGV, set in the globals table {@code globalsRef} (registry
     * refs all). Returns 0 with the result written to the tape (sorted into Redis's reply types) and,
     * only if it is an error table, left on the stack; -1 if the tape could not hold it; or Lua's
     * error status with the error value on the stack.
     */
    static native int runScript(long lua, long bridge, int handlerRef, int globalsRef, int functionRef, boolean asArguments);
}
