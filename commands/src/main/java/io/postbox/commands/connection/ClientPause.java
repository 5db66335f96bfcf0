package io.postbox.commands.connection;

import io.postbox.commands.Client;
import io.postbox.commands.Clients;
import io.postbox.commands.CommandFlag;
import io.postbox.commands.Scheduler;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * Server-wide pauses of command processing, without ever stopping the executor.
 *
 * <p>CLIENT PAUSE holds back every command ({@link Mode#ALL}) or only those that may write
 * ({@link Mode#WRITE}) until a deadline or CLIENT UNPAUSE. Held commands have already passed the
 * dispatcher's checks (unknown command, arity, authentication are answered at once, as in Redis).
 * DEBUG SLEEP {@link #sleep freezes} the server instead: connections hold every request unread, as
 * if the executor were asleep; SAVE {@link #freeze freezes} it until its snapshot is on disk. A
 * shutdown that waits for replicas to catch up holds writes back meanwhile, as Redis's does, and so
 * does a FAILOVER until a replica has taken over.
 *
 * <p>A connection that holds a request back registers with {@link #postpone(Client)} and keeps its
 * requests, in order; when a pause eases, every registered client is offered its requests again
 * through {@link Client#resumePostponed()}, in the order the clients were held, once the current
 * work is done. Pauses of different purposes combine: the most restrictive mode applies. Held
 * clients count as blocked clients (INFO's blocked_clients), as Redis's postponed clients do.
 *
 * <p>Executor thread only.
 */
public final class ClientPause {

    /** How much a pause holds back; later constants are more restrictive. */
    public enum Mode { WRITE, ALL }

    /** Who paused: each purpose has its own deadline, and CLIENT UNPAUSE ends only its own. */
    public enum Purpose {
        CLIENT_COMMAND, DEBUG_SLEEP, SAVE, DEBUG_RELOAD, MEMORY_MEASURE, HLL_SELF_TEST, MIGRATE, SHUTDOWN, FAILOVER
    }

    private record Pause(Mode mode, long endMillis) {
    }

    private final Scheduler scheduler;
    private final Clients clients;
    private final Map<Purpose, Pause> pauses = new EnumMap<>(Purpose.class);
    private final LinkedHashSet<Client> waiting = new LinkedHashSet<>();
    private Mode mode;

    public ClientPause(Scheduler scheduler, Clients clients) {
        this.scheduler = scheduler;
        this.clients = clients;
    }

    /**
     * Pauses until {@code endMillis} (Unix time); an existing pause of the same purpose keeps the later
     * deadline and the more restrictive mode, as Redis's pauseClients does.
     */
    public void pause(Purpose purpose, long endMillis, Mode mode) {
        Pause current = pauses.get(purpose);
        if (current != null) {
            endMillis = Math.max(endMillis, current.endMillis());
            mode = mode.compareTo(current.mode()) > 0 ? mode : current.mode();
        }
        pauses.put(purpose, new Pause(mode, endMillis));
        this.mode = strictestMode();
        scheduler.schedule(millisUntil(endMillis), this::expire);
    }

    /** Ends the pause of {@code purpose}, if any (CLIENT UNPAUSE). */
    public void unpause(Purpose purpose) {
        if (pauses.remove(purpose) != null) {
            eased();
        }
    }

    /**
     * DEBUG SLEEP: nothing at all is processed for {@code millis}; then {@code wake} runs (the sleeper's
     * reply), and then the requests held meanwhile run.
     */
    public void sleep(long millis, Runnable wake) {
        pauses.put(Purpose.DEBUG_SLEEP, new Pause(Mode.ALL, System.currentTimeMillis() + millis));
        mode = strictestMode();
        scheduler.schedule(millis, () -> {
            wake.run();
            unpause(Purpose.DEBUG_SLEEP);
        });
    }

    /** Freezes the server as DEBUG SLEEP does, with no deadline, until {@link #thaw}: SAVE, DEBUG RELOAD. */
    public void freeze(Purpose purpose) {
        freeze(purpose, Mode.ALL);
    }

    /** Holds back what {@code mode} says, with no deadline, until {@link #thaw}. */
    public void freeze(Purpose purpose, Mode mode) {
        pauses.put(purpose, new Pause(mode, Long.MAX_VALUE));
        this.mode = strictestMode();
    }

    /** Ends a {@link #freeze}; the requests held meanwhile run after the current work. */
    public void thaw(Purpose purpose) {
        unpause(purpose);
    }

    /**
     * Whether a call with {@code flags} (bits; see {@link io.postbox.commands.Command#flagsOf}, and for
     * an EXEC those of the calls it runs), having passed the dispatcher's checks, must wait for the
     * pause to ease: under a write pause, a call that may write or replicate waits.
     */
    public boolean postpones(long flags) {
        if (mode == null) {
            return false;
        }
        return mode == Mode.ALL || CommandFlag.WRITE.in(flags) || CommandFlag.MAY_REPLICATE.in(flags);
    }

    /**
     * Whether a pause of any purpose is on. The data then stays as it is, as in Redis 7.0: an expired
     * key reads as gone but is not deleted, and neither active expiry nor eviction runs, so nothing
     * reaches the append-only file until the pause ends.
     */
    public boolean active() {
        return mode != null;
    }

    /** Whether DEBUG SLEEP is running: connections hold every request without looking at it. */
    public boolean frozen() {
        return pauses.containsKey(Purpose.DEBUG_SLEEP) || pauses.containsKey(Purpose.SAVE);
    }

    /** Registers a client that holds requests back, to be resumed when the pause eases. */
    public void postpone(Client client) {
        if (waiting.add(client)) {
            clients.countBlocked(1);
        }
    }

    /** Forgets a client that disconnected while it was held back. */
    public void forget(Client client) {
        if (waiting.remove(client)) {
            clients.countBlocked(-1);
        }
    }

    /** Whether {@code client} holds requests back (CLIENT LIST shows it blocked, idle timeout skips it). */
    public boolean isWaiting(Client client) {
        return waiting.contains(client);
    }

    /** Timer: ends the client-command pause once its deadline has passed (DEBUG SLEEP ends with its reply). */
    private void expire() {
        Pause pause = pauses.get(Purpose.CLIENT_COMMAND);
        if (pause == null) {
            return;
        }
        long left = millisUntil(pause.endMillis());
        if (left > 0) {
            scheduler.schedule(left, this::expire);
            return;
        }
        pauses.remove(Purpose.CLIENT_COMMAND);
        eased();
    }

    /** After a pause ended: what was held back may run now, after the work in progress. */
    private void eased() {
        mode = strictestMode();
        if (!waiting.isEmpty()) {
            scheduler.schedule(0, this::resume);
        }
    }

    private void resume() {
        List<Client> resumed = new ArrayList<>(waiting);
        clients.countBlocked(-waiting.size());
        waiting.clear();
        for (Client client : resumed) {
            client.resumePostponed();
        }
    }

    /** Time left until {@code endMillis}, 0 if it has passed; a deadline that overflowed is long past. */
    private static long millisUntil(long endMillis) {
        long now = System.currentTimeMillis();
        return endMillis <= now ? 0 : endMillis - now;
    }

    private Mode strictestMode() {
        Mode strictest = null;
        for (Pause pause : pauses.values()) {
            if (strictest == null || pause.mode().compareTo(strictest) > 0) {
                strictest = pause.mode();
            }
        }
        return strictest;
    }
}
