package io.postbox.commands.scripting;

import io.postbox.commands.Errors;
import io.postbox.resp.ErrorReply;

/**
 * What SCRIPT KILL and FUNCTION KILL know about the script running now. The script runs on the
 * executor; past busy-reply-threshold the server answers other clients from another thread, which
 * runs the KILL commands there, so every field is volatile and the KILL side only reads them and sets
 * the kill request, which the script's instruction hook reads. Nothing here touches the Lua state or
 * the keyspace.
 */
final class RunningScript {

    static final ErrorReply NOT_BUSY = new ErrorReply("NOTBUSY No scripts in execution right now.");
    static final ErrorReply UNKILLABLE = new ErrorReply("UNKILLABLE Sorry the script already executed write "
            + "commands against the dataset. You can either wait the script termination or kill the server in a "
            + "hard way using the SHUTDOWN NOSAVE command.");
    /** What the killed script's caller gets (with the script's location added). */
    static final String KILLED = "Script killed by user with SCRIPT KILL...";

    private volatile boolean running;
    private volatile boolean function;
    private volatile String name;
    private volatile byte[][] command;
    private volatile long startedMillis;
    private volatile boolean wrote;
    private volatile boolean killRequested;

    /**
     * On the executor, as a script starts: a function ({@code function}) or an EVAL script, its name
     * (function name or SHA1), the command that runs it and that command's time.
     */
    void started(boolean function, String name, byte[][] command, long startedMillis) {
        this.function = function;
        this.name = name;
        this.command = command;
        this.startedMillis = startedMillis;
        this.wrote = false;
        this.killRequested = false;
        this.running = true;
    }

    /** On the executor, as the script runs a write command: from now on it cannot be killed. */
    void wrote() {
        wrote = true;
    }

    /** Whether the script has run a write command. */
    boolean hasWritten() {
        return wrote;
    }

    /** On the executor, once the script returned, failed or was killed. */
    void ended() {
        running = false;
        killRequested = false;
    }

    /**
     * What FUNCTION STATS shows of the running function: name, command and milliseconds so far; null
     * when no function runs. Safe from any thread (a torn read shows the previous or next function).
     */
    FunctionInfo runningFunction() {
        if (!running || !function) {
            return null;
        }
        return new FunctionInfo(name, command, System.currentTimeMillis() - startedMillis);
    }

    record FunctionInfo(String name, byte[][] command, long durationMillis) {
    }

    /** Whether the hook must stop the script. */
    boolean killRequested() {
        return killRequested;
    }

    /**
     * SCRIPT KILL ({@code function} false) or FUNCTION KILL: asks the running script to stop, or
     * throws why it cannot. Safe from any thread.
     */
    void kill(boolean function) {
        if (!running) {
            throw NOT_BUSY;
        }
        if (wrote) {
            throw UNKILLABLE;
        }
        if (this.function != function) {
            // The kill of the other kind: -BUSY, naming the kill that would work.
            throw this.function ? Errors.BUSY_FUNCTION : Errors.BUSY_SCRIPT;
        }
        killRequested = true;
    }
}
