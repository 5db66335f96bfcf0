package io.postbox.commands.scripting;

import io.postbox.commands.Engine;
import io.postbox.commands.Errors;
import io.postbox.commands.Invocation;
import io.postbox.resp.ErrorReply;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Redis 7 functions: libraries of named Lua functions (FUNCTION LOAD), run by FCALL in a Lua state of
 * their own. A library's code runs once when loaded and registers its functions; replacing a library
 * swaps all its functions at once, and a function name belongs to one library (function names in any case).
 * Executor thread only,
 * except the counts, which FUNCTION STATS may read from the server's busy thread.
 */
final class FunctionLibraries {

    static final ErrorReply NOT_FOUND = Errors.err("Function not found");

    /** A loaded library: its code as given and its functions in registration order. */
    record Library(String name, byte[] code, Map<String, Function> functions) {
    }

    record Function(String name, String description, Set<ScriptFlag> flags, int ref, Library library) {
    }

    private final Engine engine;
    private final ScriptRunner runner;
    private final Map<String, Library> libraries = new LinkedHashMap<>();
    private final Map<String, Function> functions = new HashMap<>();
    private volatile int libraryCount;
    private volatile int functionCount;
    private LuaSandbox sandbox;

    FunctionLibraries(Engine engine, RunningScript running) {
        this.engine = engine;
        this.runner = ScriptRunner.forFunctions(engine, running);
    }

    /** FUNCTION LOAD: compiles and runs {@code code}, keeps what it registered; returns the library's name. */
    String load(byte[] code, boolean replace) {
        LibraryHeader header = LibraryHeader.parse(code);
        Library existing = libraries.get(header.name());
        if (existing != null && !replace) {
            throw Errors.err("Library '" + header.name() + "' already exists");
        }
        LuaSandbox sandbox = sandbox();
        int chunk = sandbox.compile(code, header.bodyStart(), "@user_function", "ERR Error compiling function: ");
        FunctionRegistration registration = new FunctionRegistration();
        sandbox.lua().setTop(0);
        registration.pushApi(sandbox.lua(), runner.redis());
        String error = runner.loadLibrary(sandbox, chunk);
        registration.close();
        sandbox.unref(chunk);
        List<FunctionRegistration.Registered> registered = registration.registered();
        try {
            if (error != null) {
                throw new ErrorReply("ERR Error registering functions: " + error);
            }
            if (registered.isEmpty()) {
                throw Errors.err("No functions registered");
            }
            for (FunctionRegistration.Registered function : registered) {
                Function other = functions.get(key(function.name()));
                if (other != null && other.library() != existing) {
                    throw Errors.err("Function " + function.name() + " already exists");
                }
            }
        } catch (ErrorReply refused) {
            registered.forEach(function -> sandbox.unref(function.ref()));
            throw refused;
        }
        if (existing != null) {
            drop(existing);
        }
        Library library = new Library(header.name(), code, new LinkedHashMap<>());
        for (FunctionRegistration.Registered function : registered) {
            Function added = new Function(function.name(), function.description(), function.flags(), function.ref(),
                    library);
            library.functions().put(added.name(), added);
            functions.put(key(added.name()), added);
        }
        libraries.put(library.name(), library);
        counted();
        engine.changedOutsideKeyspace();
        return library.name();
    }

    /** FUNCTION DELETE; false if there is no such library. */
    boolean delete(String name) {
        Library library = libraries.get(name);
        if (library == null) {
            return false;
        }
        drop(library);
        counted();
        engine.changedOutsideKeyspace();
        return true;
    }

    /** FUNCTION FLUSH: every library goes, and the Lua state with them. */
    void flush() {
        libraries.clear();
        functions.clear();
        if (sandbox != null) {
            sandbox.close();
            sandbox = null;
        }
        counted();
        engine.changedOutsideKeyspace();
    }

    /** Every library's code, in load order. */
    List<byte[]> codes() {
        List<byte[]> codes = new ArrayList<>();
        for (Library library : libraries.values()) {
            codes.add(library.code());
        }
        return codes;
    }

    /** What FUNCTION RESTORE does with libraries the payload shares with those loaded. */
    enum RestorePolicy { FLUSH, APPEND, REPLACE }

    /**
     * FUNCTION RESTORE: loads the libraries of a payload ({@code codes}). APPEND refuses them all if
     * one is already loaded; REPLACE replaces such libraries; FLUSH drops every library first.
     */
    void restore(List<byte[]> codes, RestorePolicy policy) {
        if (policy == RestorePolicy.APPEND) {
            for (byte[] code : codes) {
                String name = LibraryHeader.parse(code).name();
                if (libraries.containsKey(name)) {
                    throw Errors.err("Library " + name + " already exists");
                }
            }
        }
        if (policy == RestorePolicy.FLUSH) {
            flush();
        }
        for (byte[] code : codes) {
            load(code, policy != RestorePolicy.APPEND);
        }
    }

    Collection<Library> libraries() {
        return new ArrayList<>(libraries.values());
    }

    Function find(String name) {
        return functions.get(key(name));
    }

    int libraryCount() {
        return libraryCount;
    }

    int functionCount() {
        return functionCount;
    }

    /** Bytes of the loaded libraries' code. */
    long codeBytes() {
        long bytes = 0;
        for (Library library : libraries.values()) {
            bytes += library.code().length;
        }
        return bytes;
    }

    long vmBytes() {
        return sandbox == null ? 0 : sandbox.heapBytes();
    }

    /** FCALL and FCALL_RO: runs {@code function} with the keys and arguments after numkeys. */
    void call(Invocation call, Function function, int numkeys, boolean readOnlyCommand) {
        boolean noWrites = function.flags().contains(ScriptFlag.NO_WRITES);
        if (readOnlyCommand && !noWrites) {
            throw EvalScripts.WRITE_FLAG_IN_READ_ONLY;
        }
        byte[][] keys = new byte[numkeys][];
        System.arraycopy(call.args(), 3, keys, 0, numkeys);
        byte[][] args = new byte[call.argc() - 3 - numkeys][];
        System.arraycopy(call.args(), 3 + numkeys, args, 0, args.length);
        runner.run(call, sandbox(), function.name(), true, function.ref(), keys, args, function.flags(),
                readOnlyCommand);
    }

    private void drop(Library library) {
        for (Function function : library.functions().values()) {
            functions.remove(key(function.name()));
            sandbox.unref(function.ref());
        }
        libraries.remove(library.name());
    }

    /** Function names are case-insensitive, as in Redis (library names are not). */
    private static String key(String name) {
        return name.toLowerCase(Locale.ROOT);
    }

    private void counted() {
        libraryCount = libraries.size();
        functionCount = functions.size();
    }

    private LuaSandbox sandbox() {
        if (sandbox == null) {
            sandbox = runner.newSandbox();
        }
        return sandbox;
    }
}
