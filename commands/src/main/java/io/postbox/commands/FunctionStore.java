package io.postbox.commands;

import io.postbox.resp.ErrorReply;
import java.util.List;

/**
 * The function libraries (FUNCTION LOAD) as snapshots see them: an RDB file carries each library's
 * code, and loading the file loads them back. The scripting commands provide it; the engine finds it
 * among its command groups. Executor thread only.
 */
public interface FunctionStore {

    /** The code of every loaded library, as FUNCTION LOAD received it. */
    List<byte[]> libraryCodes();

    /**
     * Loads a library read from a snapshot, as FUNCTION LOAD would ({@code replace}: as FUNCTION LOAD
     * REPLACE would); an error reply says why it cannot.
     */
    void loadLibrary(Engine engine, byte[] code, boolean replace);

    /** Deletes every library, as FUNCTION FLUSH does: a snapshot loaded again brings its own (DEBUG RELOAD). */
    void flushLibraries();

    FunctionStore NONE = new FunctionStore() {
        @Override
        public List<byte[]> libraryCodes() {
            return List.of();
        }

        @Override
        public void loadLibrary(Engine engine, byte[] code, boolean replace) {
            throw new ErrorReply("ERR this server has no function libraries");
        }

        @Override
        public void flushLibraries() {
        }
    };
}
