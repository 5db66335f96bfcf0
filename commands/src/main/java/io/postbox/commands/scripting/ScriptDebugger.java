package io.postbox.commands.scripting;

import io.postbox.commands.Client;
import io.postbox.commands.Numbers;
import io.postbox.commands.ScriptWatch;
import io.postbox.resp.Reply;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

/**
 * One session of Redis's Lua debugger (LDB) in its synchronous mode: after SCRIPT DEBUG SYNC, the
 * client's next EVAL runs its script stopping before lines, where the client drives it with the
 * debugger's commands (step, continue, list, whole, print, break, trace, eval, redis, maxlen, abort,
 * help) until the script ends; then {@code <endsession>}, the script's reply, and the connection
 * closes, as in Redis 7.0 (redis-cli drives it with {@code --ldb-sync-mode}). Changes the script made
 * stay. The server serves no one else meanwhile: others get -BUSY, as under a busy script.
 *
 * <p>What the debugger says goes out as arrays of simple strings, one per line, when it stops and after
 * each command, and at the session's end. Replies and texts are Redis's. Where the session talks to
 * the client while the script waits is the server's ({@link ScriptWatch#nextDebugRequest}). Script's
 * thread only.
 */
final class ScriptDebugger {

    private static final int MAX_BREAKPOINTS = 64;
    private static final int DEFAULT_MAX_LEN = 256;
    /** The shortest maxlen there is, but 0 (unlimited). */
    private static final int MIN_MAX_LEN = 60;
    /** Lines shown before and after the one a list is around, unless the list says. */
    private static final int LIST_CONTEXT = 5;
    /** The time limit when busy-reply-threshold is 0, as Redis's debugger has it. */
    private static final long DEFAULT_TIME_LIMIT_MILLIS = 5000;
    /** Redis's debugger reads at most this many arguments, each at most this long, and none empty. */
    private static final int MAX_ARGUMENTS = 1024;
    /** Logged commands show this many arguments. */
    private static final int LOGGED_ARGUMENTS = 10;
    private static final String PROTOCOL_ERROR = "protocol error";
    private static final String ABORTED = "script aborted for user request";
    private static final String TIMEOUT_CLOSED = "timeout during Lua debugging with client closing connection";
    private static final String OUT_OF_RANGE = "<out of range source code line>";
    private static final List<String> HELP = List.of(
            "Redis Lua debugger help:",
            "[h]elp               Show this help.",
            "[s]tep               Run current line and stop again.",
            "[n]ext               Alias for step.",
            "[c]ontinue           Run till next breakpoint.",
            "[l]ist               List source code around current line.",
            "[l]ist [line]        List source code around [line].",
            "                     line = 0 means: current position.",
            "[l]ist [line] [ctx]  In this form [ctx] specifies how many lines",
            "                     to show before/after [line].",
            "[w]hole              List all source code. Alias for 'list 1 1000000'.",
            "[p]rint              Show all the local variables.",
            "[p]rint <var>        Show the value of the specified variable.",
            "                     Can also show global vars KEYS and ARGV.",
            "[b]reak              Show all breakpoints.",
            "[b]reak <line>       Add a breakpoint to the specified line.",
            "[b]reak -<line>      Remove breakpoint from the specified line.",
            "[b]reak 0            Remove all breakpoints.",
            "[t]race              Show a backtrace.",
            "[e]val <code>        Execute some Lua code (in a different callframe).",
            "[r]edis <cmd>        Execute a Redis command.",
            "[m]axlen [len]       Trim logged Redis replies and Lua var dumps to len.",
            "                     Specifying zero as <len> means unlimited.",
            "[a]bort              Stop the execution of the script. In sync",
            "                     mode dataset changes will be retained.",
            "",
            "Debugger functions you can call from Lua scripts:",
            "redis.debug()        Produce logs in the debugger console.",
            "redis.breakpoint()   Stop execution like if there was a breakpoint in the",
            "                     next line of code.");

    private final Client client;
    private final ScriptWatch watch;
    /** Whether the script was asked to stop (SCRIPT KILL): a wait for the client then gives up. */
    private final BooleanSupplier killed;
    /** busy-reply-threshold, in ms: a script that runs this long without stopping stops (0: 5 s). */
    private final LongSupplier timeLimitMillis;
    /** The script's source, a line each, as the script was sent (trailing newlines dropped). */
    private final byte[][] source;
    private final List<String> logs = new ArrayList<>();
    private final List<Integer> breakpoints = new ArrayList<>();
    private StoppedScript script;
    /** Stop at the next line whatever the breakpoints: the session starts stepping. */
    private boolean step = true;
    /** redis.breakpoint() was called: stop at the next line. */
    private boolean luaBreakpoint;
    private int currentLine;
    private int maxLen = DEFAULT_MAX_LEN;
    private boolean maxLenHintSent;
    private long runningSinceNanos = System.nanoTime();
    private boolean ended;
    /** The client closed its connection while the script was stopped: no more stops. */
    private boolean clientGone;

    ScriptDebugger(Client client, ScriptWatch watch, BooleanSupplier killed, LongSupplier timeLimitMillis,
                   byte[] body) {
        this.client = client;
        this.watch = watch;
        this.killed = killed;
        this.timeLimitMillis = timeLimitMillis;
        this.source = lines(body);
    }

    /** The state of the script about to run, which the debugger inspects when stopped. */
    void script(StoppedScript script) {
        this.script = script;
    }

    /** Whether the script's commands and their replies are logged: while stepping, as in Redis. */
    boolean logsCommands() {
        return step;
    }

    /** redis.breakpoint(): stop at the next line. */
    void breakpoint() {
        luaBreakpoint = true;
    }

    /** {@code <redis> set k v}: the first arguments of a command the script runs. */
    void logCommand(byte[][] args) {
        StringBuilder line = new StringBuilder("<redis>");
        for (int i = 0; i < args.length; i++) {
            if (i == LOGGED_ARGUMENTS) {
                // Redis's count is one short; its text is what clients see.
                line.append(" ... (").append(args.length - i - 1).append(" more)");
                break;
            }
            line.append(' ').append(new String(args[i], StandardCharsets.ISO_8859_1));
        }
        log(line.toString());
    }

    /** The reply a logged command got, and its error first, as Redis logs both. */
    void logReply(LoggedReply reply) {
        if (reply.error() != null) {
            log("<error> " + reply.error());
        }
        logTrimmed(reply.line());
    }

    /** An error the script's redis library made (a refused command, redis.error_reply): while stepping. */
    void logError(String text) {
        if (step) {
            log("<error> " + text);
        }
    }

    /** redis.debug(values...), its {@code argc} arguments on the stack: {@code <debug> line N: } and the values. */
    void logDebug(int argc) {
        List<String> values = new ArrayList<>();
        for (int i = 1; i <= argc; i++) {
            values.add(script.show(i));
        }
        log("<debug> line " + currentLine + ": " + String.join(", ", values));
    }

    /**
     * The hook, at a line of the script ({@code count} false) or every 100000 instructions: stops when
     * stepping, at a breakpoint, or when the script ran past the time limit since it last stopped.
     * Returns the error to raise in the script (abort, protocol error), or null to go on.
     */
    String atLine(boolean count, int line) {
        currentLine = line;
        boolean atBreakpoint = breakpoints.contains(line) || luaBreakpoint;
        boolean timeout = false;
        if (count && !step && !atBreakpoint) {
            long limit = timeLimitMillis.getAsLong();
            long elapsedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - runningSinceNanos);
            if (elapsedMillis < (limit > 0 ? limit : DEFAULT_TIME_LIMIT_MILLIS)) {
                return null;
            }
            timeout = true;
            step = true;
        }
        if (!step && !atBreakpoint) {
            return null;
        }
        String reason = atBreakpoint ? (luaBreakpoint ? "redis.breakpoint() called" : "break point")
                : timeout ? "timeout reached, infinite loop?" : "step over";
        step = false;
        luaBreakpoint = false;
        log("* Stopped at " + line + ", stop reason = " + reason);
        logSourceLine(line);
        send();
        String error = repl();
        if (clientGone) {
            // The script goes on without stops; one that was looping ends.
            step = false;
            breakpoints.clear();
            error = timeout ? TIMEOUT_CLOSED : null;
        }
        runningSinceNanos = System.nanoTime();
        return error;
    }

    /** The script has returned or failed, or never ran: the session's last words, once. */
    void end() {
        if (ended) {
            return;
        }
        ended = true;
        log("<endsession>");
        send();
    }

    /**
     * The client's commands, until one that lets the script go on, or the client goes
     * ({@link #clientGone}); returns the error to raise in the script, or null.
     */
    private String repl() {
        while (true) {
            byte[][] request = watch.nextDebugRequest(killed);
            if (request == null) {
                // Killed (the hook then raises the kill), or the client closed its connection.
                clientGone = !killed.getAsBoolean();
                return null;
            }
            if (!wellFormed(request)) {
                return PROTOCOL_ERROR;
            }
            String command = name(request[0]);
            switch (command) {
                case "s", "step", "n", "next" -> {
                    step = true;
                    return null;
                }
                case "c", "continue" -> {
                    return null;
                }
                case "a", "abort" -> {
                    return ABORTED;
                }
                case "h", "help" -> HELP.forEach(this::log);
                case "t", "trace" -> trace();
                case "m", "maxlen" -> maxLen(request);
                case "b", "break" -> breakpoints(request);
                case "e", "eval" -> logTrimmed(script.eval(joined(request)));
                case "p", "print" -> print(request);
                case "l", "list" -> {
                    int asked = request.length > 1 ? Numbers.atoi(request[1]) : 0;
                    int around = asked > 0 ? asked : currentLine;
                    list(around, request.length > 2 ? Numbers.atoi(request[2]) : LIST_CONTEXT);
                }
                case "w", "whole" -> list(1, 1_000_000);
                default -> {
                    if (request.length > 1 && (command.equals("r") || command.equals("redis"))) {
                        redis(request);
                    } else {
                        log("<error> Unknown Redis Lua debugger command or wrong number of arguments.");
                    }
                }
            }
            send();
        }
    }

    /** Redis's debugger reads 1 to 1024 arguments of 1 to 1024 bytes each; anything else ends the script. */
    private static boolean wellFormed(byte[][] request) {
        if (request.length == 0 || request.length > MAX_ARGUMENTS) {
            return false;
        }
        for (byte[] arg : request) {
            if (arg.length == 0 || arg.length > MAX_ARGUMENTS) {
                return false;
            }
        }
        return true;
    }

    /** A command's name as Redis compares it: up to its first NUL byte, in either case. */
    private static String name(byte[] arg) {
        int end = 0;
        while (end < arg.length && arg[end] != 0) {
            end++;
        }
        return new String(arg, 0, end, StandardCharsets.ISO_8859_1).toLowerCase(Locale.ROOT);
    }

    private void redis(byte[][] request) {
        byte[][] command = new byte[request.length - 1][];
        System.arraycopy(request, 1, command, 0, command.length);
        // The command and its reply are logged as a stepped script's are.
        step = true;
        try {
            script.call(command);
        } finally {
            step = false;
        }
    }

    private void print(byte[][] request) {
        if (request.length == 2) {
            String value = script.value(request[1]);
            if (value == null) {
                log("No such variable.");
            } else {
                logTrimmed("<value> " + value);
            }
            return;
        }
        List<String> locals = script.locals();
        if (locals.isEmpty()) {
            log("No local variables in the current context.");
        }
        locals.forEach(local -> logTrimmed("<value> " + local));
    }

    private void trace() {
        List<StoppedScript.Frame> frames = script.trace();
        if (frames.isEmpty()) {
            log("<error> Can't retrieve Lua stack.");
        }
        for (StoppedScript.Frame frame : frames) {
            log(frame.title());
            logSourceLine(frame.line());
        }
    }

    private void maxLen(byte[][] request) {
        if (request.length == 2) {
            int asked = Numbers.atoi(request[1]);
            maxLenHintSent = true;
            maxLen = asked != 0 && asked <= MIN_MAX_LEN ? MIN_MAX_LEN : asked;
        }
        log(maxLen != 0 ? "<value> replies are truncated at " + maxLen + " bytes." : "<value> replies are unlimited.");
    }

    private void breakpoints(byte[][] request) {
        if (request.length == 1) {
            if (breakpoints.isEmpty()) {
                log("No breakpoints set. Use 'b <line>' to add one.");
                return;
            }
            log(breakpoints.size() + " breakpoints set:");
            breakpoints.forEach(this::logSourceLine);
            return;
        }
        for (int i = 1; i < request.length; i++) {
            if (!Numbers.isLong(request[i])) {
                log("Invalid argument:'" + new String(request[i], StandardCharsets.ISO_8859_1) + "'");
                continue;
            }
            long line = Numbers.parseLong(request[i]);
            if (line == 0) {
                breakpoints.clear();
                log("All breakpoints removed.");
            } else if (line > 0 && breakpoints.size() == MAX_BREAKPOINTS) {
                log("Too many breakpoints set.");
            } else if (line > 0) {
                if (line <= source.length && !breakpoints.contains((int) line)) {
                    breakpoints.add((int) line);
                    list((int) line, 1);
                } else {
                    log("Wrong line number.");
                }
            } else {
                boolean removed = line >= -source.length && breakpoints.remove(Integer.valueOf((int) -line));
                log(removed ? "Breakpoint removed." : "No breakpoint in the specified line.");
            }
        }
    }

    /** The lines within {@code context} of {@code around}; all of them when around is 0. */
    private void list(int around, int context) {
        for (int line = 1; line <= source.length; line++) {
            if (around == 0 || Math.abs(around - line) <= context) {
                logSourceLine(line);
            }
        }
    }

    /** A source line as listings show it: {@code ->} at the current line, {@code #} at a breakpoint. */
    private void logSourceLine(int line) {
        boolean current = line == currentLine;
        boolean breakpoint = breakpoints.contains(line);
        String prefix = current ? (breakpoint ? "->#" : "-> ") : (breakpoint ? "  #" : "   ");
        String text = line >= 1 && line <= source.length
                ? new String(source[line - 1], StandardCharsets.ISO_8859_1) : OUT_OF_RANGE;
        log(String.format("%s%-3d %s", prefix, line, text));
    }

    private void log(String line) {
        logs.add(line);
    }

    /** A log line cut at maxlen bytes, with a hint the first time one is. */
    private void logTrimmed(String line) {
        if (maxLen == 0 || line.length() <= maxLen) {
            log(line);
            return;
        }
        log(line.substring(0, maxLen) + " ...");
        if (!maxLenHintSent) {
            maxLenHintSent = true;
            log("<hint> The above reply was trimmed. Use 'maxlen 0' to disable trimming.");
        }
    }

    /**
     * Sends the lines logged since the last time, as one array of simple strings (newlines become
     * spaces). While the script runs the server's standby serves the connection, so that the script's
     * thread can wait for the client's answer.
     */
    private void send() {
        if (!ended) {
            watch.debugging(client);
        }
        Reply out = client.pushOutput();
        out.array(logs.size());
        for (String line : logs) {
            out.simple(line.replace('\r', ' ').replace('\n', ' '));
        }
        logs.clear();
    }

    /** eval's code: its arguments joined by spaces. */
    private static byte[] joined(byte[][] request) {
        StringBuilder code = new StringBuilder();
        for (int i = 1; i < request.length; i++) {
            code.append(i > 1 ? " " : "").append(new String(request[i], StandardCharsets.ISO_8859_1));
        }
        return code.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    /** The script's source as the debugger lists it: split at newlines, the trailing ones dropped. */
    private static byte[][] lines(byte[] body) {
        int end = body.length;
        while (end > 0 && (body[end - 1] == '\n' || body[end - 1] == '\r')) {
            end--;
        }
        List<byte[]> lines = new ArrayList<>();
        int start = 0;
        for (int i = 0; i <= end && end > 0; i++) {
            if (i == end || body[i] == '\n') {
                byte[] line = new byte[i - start];
                System.arraycopy(body, start, line, 0, line.length);
                lines.add(line);
                start = i + 1;
            }
        }
        return lines.toArray(new byte[0][]);
    }
}
