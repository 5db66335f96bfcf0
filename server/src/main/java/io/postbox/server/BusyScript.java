package io.postbox.server;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.postbox.commands.Client;
import io.postbox.commands.Command;
import io.postbox.commands.CommandTable;
import io.postbox.commands.Dispatcher;
import io.postbox.commands.ScriptWatch;
import io.postbox.commands.config.ConfigOption;
import io.postbox.commands.transactions.Transaction;
import io.postbox.resp.RespWriter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * The server's {@link ScriptWatch}: once a script has run past {@code busy-reply-threshold} (alias
 * {@code lua-time-limit}) on the executor thread, a standby thread takes the event loop over and
 * serves the other clients until the script ends, as Redis serves them from its script hook. Only
 * SCRIPT KILL, FUNCTION KILL, SHUTDOWN NOSAVE and a few client-local commands are served; the rest
 * get -BUSY ({@link Dispatcher#admitWhileBusy}).
 *
 * <p>Threads. Scripts run only in a task of the loop, never inside its I/O processing
 * ({@link ClientConnection} gives them their own turn), so the loop can be driven by another thread
 * while the script's task is still on the executor's stack. While busy, the script's thread touches
 * the keyspace and everything else the engine owns, and the standby touches only the loop and the
 * connections' own state; what the standby would do to shared structures (the client list as
 * connections come and go, timers, statistics of refused commands, watched keys) waits in
 * {@link #deferred} and runs on the executor after the script. Output the script writes for other clients (pub/sub,
 * MONITOR) goes to side buffers here and is handed to the loop's owner ({@link #handOverOutput}), so
 * each connection's output buffer has one writer at a time.
 *
 * <p>Hand-over, and why each side sees the other's writes: the executor makes the standby the loop's
 * owner (a volatile write) and then starts it ({@code Thread.start} orders everything before it);
 * taking the loop back, it sets {@link #released} (volatile), wakes the loop and joins the standby
 * ({@code Thread.join} orders everything the standby did, {@link #deferred} included, before what
 * follows), then becomes the owner again. Side buffers cross through the loop's task queue, which
 * orders the writer's bytes before the task that reads them.
 *
 * <p>A debugging session (SCRIPT DEBUG SYNC) stands the standby in from its first stop, whatever the
 * threshold: the script's thread then waits for its client's next request, which the standby passes
 * on ({@link #debugRequest}) instead of holding it until the script ends. Other clients wait until the
 * session ends, as Redis serves no one meanwhile, but for the commands served at once (SCRIPT KILL,
 * SHUTDOWN NOSAVE...): no -BUSY for a script that is only waiting for its debugger.
 */
final class BusyScript implements ScriptWatch {

    /**
     * The allow_busy commands served at once while busy: they touch only their own client (the
     * handshake: HELLO, AUTH), end the server, flag the script, or read what the running script
     * publishes for other threads (FUNCTION STATS). The other allow_busy commands (WATCH, UNWATCH,
     * DISCARD, RESET, REPLCONF) touch what the script may touch, so they wait in their client's queue
     * and run once the script has ended.
     */
    private static final Set<String> SERVED_WHILE_BUSY = Set.of(
            "hello", "auth", "script|kill", "function|kill", "function|stats", "shutdown", "multi", "quit");
    /** How often a wait for the debugging client looks whether it is still connected, or must give up. */
    private static final long DEBUG_POLL_MILLIS = 100;
    /**
     * Requests of the debugging client kept for its debugger at most; more wait in the connection,
     * which is not read meanwhile. The debugger takes one per command, so only a client that floods a
     * running script gets here.
     */
    private static final int DEBUG_REQUESTS_KEPT = 1024;
    /** What the standby passes on when the debugging client's connection closes. */
    private static final Object DEBUGGER_GONE = new Object();

    /** Output the script wrote for a connection while the standby owned the loop. */
    private record Side(RespWriter writer, ByteBuf bytes) {
    }

    private final ExecutorLoop loop;
    private final ConfigOption<Long> threshold;
    private final Dispatcher dispatcher;
    private final CommandTable commands;
    private final ServerLog log;
    /** Runs after deferred work on the executor: flushes what it wrote. */
    private final Runnable afterDeferred;

    // The executor's (the script's thread).
    private long startedNanos;
    private boolean function;
    private final Map<ClientConnection, Side> sideOutput = new IdentityHashMap<>();

    // Shared by the hand-over.
    private volatile boolean busy;
    private volatile Thread standby;
    private volatile boolean released;
    private volatile boolean abandoned;
    /** The client debugging the running script, or null; its requests, passed on by the standby. */
    private volatile ClientConnection debugged;
    private final LinkedBlockingQueue<Object> debugRequests = new LinkedBlockingQueue<>();

    // The standby's while busy, the executor's after the join.
    private final List<Runnable> deferred = new ArrayList<>();
    private final ArrayDeque<ClientConnection> waiting = new ArrayDeque<>();

    BusyScript(ExecutorLoop loop, ConfigOption<Long> threshold, Dispatcher dispatcher, CommandTable commands,
               ServerLog log, Runnable afterDeferred) {
        this.loop = loop;
        this.threshold = threshold;
        this.dispatcher = dispatcher;
        this.commands = commands;
        this.log = log;
        this.afterDeferred = afterDeferred;
    }

    @Override
    public void started(boolean function) {
        this.function = function;
        this.startedNanos = System.nanoTime();
    }

    @Override
    public void running() {
        if (busy) {
            if (abandoned) {
                throw new Abandoned();
            }
            handOverOutput();
            return;
        }
        long elapsedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedNanos);
        if (elapsedMillis >= threshold.value()) {
            log.warning("Slow script detected: still in execution after " + elapsedMillis + " milliseconds. "
                    + "You can try killing the script using the " + (function ? "FUNCTION KILL" : "SCRIPT KILL")
                    + " command.");
            standBy();
        }
    }

    /** Executor: the script is past the threshold, or debugged; the standby takes the loop over. */
    private void standBy() {
        released = false;
        Thread thread = new Thread(() -> loop.standIn(() -> released), "postbox-standby");
        thread.setDaemon(true);
        standby = thread;
        busy = true;
        loop.owner(thread);
        thread.start();
    }

    @Override
    public void ended() {
        if (!busy) {
            return;
        }
        released = true;
        loop.wakeup();
        Thread thread = standby;
        boolean interrupted = false;
        while (thread.isAlive()) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        loop.owner(loop.executor());
        standby = null;
        busy = false;
        debugged = null;
        debugRequests.clear();
        handOverOutput();
        runDeferredLater();
    }

    /** Executor, after the script's task: what waited for the script, in the order it was put off. */
    private void runDeferredLater() {
        List<Runnable> tasks = new ArrayList<>(deferred);
        deferred.clear();
        List<ClientConnection> resumed = new ArrayList<>(waiting);
        waiting.clear();
        try {
            loop.loop().execute(() -> {
                tasks.forEach(Runnable::run);
                resumed.forEach(ClientConnection::resumePostponed);
                afterDeferred.run();
            });
        } catch (RejectedExecutionException stopped) {
            // The server stopped during the script: nothing is left to serve.
        }
    }

    @Override
    public boolean busy() {
        return busy;
    }

    @Override
    public boolean function() {
        return function;
    }

    @Override
    public boolean standingIn() {
        return Thread.currentThread() == standby;
    }

    @Override
    public void defer(Runnable task) {
        if (standingIn()) {
            deferred.add(task);
        } else {
            task.run();
        }
    }

    @Override
    public void debugging(Client client) {
        if (debugged != null) {
            return;
        }
        ClientConnection connection = (ClientConnection) client;
        debugged = connection;
        if (!busy) {
            standBy();
        }
        // What the client sent after its EVAL before the standby took over.
        loop.loop().execute(connection::passHeldToDebugger);
    }

    /** Standby: whether {@code connection}'s requests go to the debugger of its script. */
    boolean debugs(ClientConnection connection) {
        return connection == debugged;
    }

    /** Standby: whether the debugger has room for another request. */
    boolean debuggerTakes() {
        return debugRequests.size() < DEBUG_REQUESTS_KEPT;
    }

    /** Standby: a request of the debugging client. */
    void debugRequest(Object request) {
        debugRequests.add(request);
    }

    /** Standby: the debugging client's connection closed. */
    void debuggerGone() {
        debugRequests.add(DEBUGGER_GONE);
    }

    @Override
    public byte[][] nextDebugRequest(BooleanSupplier giveUp) {
        handOverOutput();
        while (true) {
            if (abandoned) {
                throw new Abandoned();
            }
            Object request;
            try {
                request = debugRequests.poll(DEBUG_POLL_MILLIS, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            }
            if (request == DEBUGGER_GONE) {
                return null;
            }
            if (request != null) {
                if (debugRequests.size() == DEBUG_REQUESTS_KEPT - 1) {
                    // Room again: take what waited in the connection, and read it again.
                    loop.loop().execute(debugged::passHeldToDebugger);
                }
                return request instanceof byte[][] args ? args : new byte[0][];
            }
            if (!debugged.connected() || giveUp.getAsBoolean()) {
                return null;
            }
        }
    }

    /** SHUTDOWN NOSAVE under a busy script: the script's next check ends it. */
    void abandon() {
        abandoned = true;
    }

    /**
     * Standby: answers one request of a client other than the script's, or leaves it waiting (false)
     * until the script ends; the client's later requests then wait behind it.
     */
    boolean answer(ClientConnection connection, Object request) {
        if (request instanceof byte[][] args
                && (debugged == null || servedAtOnce(commands.lookupCall(args), connection))) {
            Command command = dispatcher.admitWhileBusy(connection, args);
            if (command == null) {
                return true;
            }
            if (servedAtOnce(command, connection)) {
                dispatcher.call(connection, command, args);
                return true;
            }
        }
        if (!waiting.contains(connection)) {
            waiting.add(connection);
        }
        return false;
    }

    private static boolean servedAtOnce(Command command, ClientConnection connection) {
        return command != null && SERVED_WHILE_BUSY.contains(command.fullName()) && !Transaction.isOpen(connection);
    }

    /** Script's thread: where output for {@code connection} goes while the standby owns the loop. */
    RespWriter sideOutput(ClientConnection connection, ByteBufAllocator alloc, int protocol) {
        return side(connection, alloc, protocol).writer();
    }

    /** The buffer behind {@link #sideOutput}, for output that is bytes already (a replica's stream). */
    ByteBuf sideBytes(ClientConnection connection, ByteBufAllocator alloc, int protocol) {
        return side(connection, alloc, protocol).bytes();
    }

    private Side side(ClientConnection connection, ByteBufAllocator alloc, int protocol) {
        Side side = sideOutput.get(connection);
        if (side == null) {
            ByteBuf bytes = alloc.buffer();
            RespWriter writer = new RespWriter(protocol);
            writer.target(bytes);
            side = new Side(writer, bytes);
            sideOutput.put(connection, side);
        }
        return side;
    }

    /** Script's thread: hands what it wrote for other clients to the loop's owner. */
    private void handOverOutput() {
        if (sideOutput.isEmpty()) {
            return;
        }
        for (Map.Entry<ClientConnection, Side> entry : sideOutput.entrySet()) {
            ClientConnection connection = entry.getKey();
            ByteBuf bytes = entry.getValue().bytes();
            try {
                loop.loop().execute(() -> connection.append(bytes));
            } catch (RejectedExecutionException stopped) {
                bytes.release();
            }
        }
        sideOutput.clear();
    }
}
