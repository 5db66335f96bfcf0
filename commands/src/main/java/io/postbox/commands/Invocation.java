package io.postbox.commands;

import io.postbox.commands.keyspace.Database;
import io.postbox.resp.Reply;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * One command being run: its arguments, the client that sent it, and the engine it runs against.
 * Handlers read arguments from here and write the reply to {@link #reply()}.
 *
 * <p>Handlers report failure by throwing {@link io.postbox.resp.ErrorReply} before they have written
 * any reply: validate first, then change data, then reply.
 */
public final class Invocation {

    private static final byte[] REDACTED = "(redacted)".getBytes(StandardCharsets.US_ASCII);

    private final Engine engine;
    private final Client client;
    private final Command command;
    private final byte[][] args;
    private byte[][] loggedArgs;
    private List<byte[][]> propagation;
    /** Where the call is recorded even if it changed nothing ({@link CommandLog}'s TO_* bits). */
    private int forcedTargets;
    /** Where the dispatcher has the call recorded, once it ran. */
    private int propagationTargets;
    private boolean outlasting;
    private boolean failed;
    private Boolean endedFailed;
    private End whenEnded;

    public Invocation(Engine engine, Client client, Command command, byte[][] args) {
        this.engine = engine;
        this.client = client;
        this.command = command;
        this.args = args;
        this.loggedArgs = args;
    }

    public Engine engine() {
        return engine;
    }

    public Client client() {
        return client;
    }

    public Command command() {
        return command;
    }

    public Reply reply() {
        return client.reply();
    }

    /** The client's selected database. */
    public Database db() {
        return client.database();
    }

    /** Argument {@code i}; argument 0 is the command name. */
    public byte[] arg(int i) {
        return args[i];
    }

    public byte[][] args() {
        return args;
    }

    /** Number of arguments, the command name included. */
    public int argc() {
        return args.length;
    }

    /**
     * Hides argument {@code i} from the slow log (a password, say): it is recorded as "(redacted)", as
     * Redis's redactClientCommandArgument does. The handler still reads the real argument.
     */
    public void redact(int i) {
        if (loggedArgs == args) {
            loggedArgs = args.clone();
        }
        loggedArgs[i] = REDACTED;
    }

    /**
     * Adds {@code command} to what the append-only file records for this call instead of the call
     * itself: for commands whose arguments do not determine their effect (SPOP removes members chosen
     * at random, so it is recorded as the SREM of those members), as Redis's commands rewrite what
     * they propagate.
     */
    public void propagateAs(byte[]... command) {
        if (propagation == null) {
            propagation = new ArrayList<>(1);
        }
        propagation.add(command);
    }

    /**
     * Records only what {@link #propagateAs} adds, never the call itself, even if it adds nothing: for a
     * command that logs its effects one by one and may count a change that has none to log (XREADGROUP
     * re-reading an empty history), as Redis's commands that prevent their own propagation do.
     */
    public void propagateEffectsOnly() {
        if (propagation == null) {
            propagation = new ArrayList<>(1);
        }
    }

    /**
     * Has the call recorded even if it changed nothing: FLUSHDB and FLUSHALL of empty databases, as
     * Redis's forceCommandPropagation has them logged.
     */
    public void forcePropagation() {
        forcePropagation(CommandLog.TO_AOF | CommandLog.TO_REPLICAS);
    }

    /** Has the call recorded in {@code targets} even if it changed nothing: PUBLISH, to replicas only. */
    public void forcePropagation(int targets) {
        forcedTargets |= targets;
    }

    /** Where {@link #forcePropagation} asked the call to be recorded; 0 if it did not. */
    public int forcedTargets() {
        return forcedTargets;
    }

    /** Where the call is recorded: set by the dispatcher before it reports the call to the {@link CommandLog}. */
    public int propagationTargets() {
        return propagationTargets;
    }

    public void propagateTo(int targets) {
        propagationTargets = targets;
    }

    /** What {@link #propagateAs} set, or null when the call is recorded as it was received. */
    public List<byte[][]> propagation() {
        return propagation;
    }

    /**
     * Marks the call failed although its handler returned: a script whose result holds an error reply,
     * which INFO commandstats counts as a failed call.
     */
    public void fail() {
        failed = true;
    }

    public boolean failed() {
        return failed;
    }

    /**
     * For a call that holds the whole server after its handler returns (DEBUG SLEEP, SAVE): it lasts,
     * in the command statistics, the slow log, the latency figures and the MONITOR feed, until the
     * returned end is called, with whether it failed, as Redis's command runs for all that time.
     */
    public End outlastHandler() {
        outlasting = true;
        return failed -> {
            endedFailed = failed;
            if (whenEnded != null) {
                whenEnded.ended(failed);
            }
        };
    }

    /** The end of a call that outlasts its handler. */
    @FunctionalInterface
    public interface End {
        void ended(boolean failed);
    }

    /** Whether the handler called {@link #outlastHandler}. */
    boolean outlasting() {
        return outlasting;
    }

    /** Runs {@code then} with whether the call failed once it has ended: now, if it already has. */
    void whenEnded(End then) {
        if (endedFailed != null) {
            then.ended(endedFailed);
        } else {
            whenEnded = then;
        }
    }

    /** The arguments as the slow log may record them: redacted ones replaced. */
    public byte[][] loggedArgs() {
        return loggedArgs;
    }

    /** Argument {@code i} as a string of one char per byte (ISO-8859-1), so it round-trips exactly. */
    public String argString(int i) {
        return new String(args[i], StandardCharsets.ISO_8859_1);
    }

    /** True if argument {@code i} is {@code word} in any ASCII case; {@code word} must be lower case. */
    public boolean argIs(int i, String word) {
        return Ascii.equalsIgnoreCase(args[i], word);
    }

    /** Argument {@code i} as a 64-bit integer, or ERR value is not an integer or out of range. */
    public long longArg(int i) {
        return Numbers.parseLong(args[i]);
    }

    public long now() {
        return engine.now();
    }
}
