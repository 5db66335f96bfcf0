package io.postbox.commands.connection;

import io.postbox.commands.TestClient;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.postbox.commands.Command;
import io.postbox.commands.Engine;
import io.postbox.commands.config.Config;
import io.postbox.commands.connection.ClientPause.Mode;
import io.postbox.commands.connection.ClientPause.Purpose;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClientPauseTest {

    private final ManualScheduler scheduler = new ManualScheduler();
    private final Engine engine = new Engine(new Config(), List.of());
    private final ClientPause pause = new ClientPause(scheduler, engine.clients());
    /** The flags of a GET, a SET and a PUBLISH call, as the dispatcher hands them to the pause. */
    private final long get = flags("readonly fast");
    private final long set = flags("write denyoom");
    private final long publish = flags("pubsub loading stale fast may_replicate");

    private static long flags(String names) {
        return Command.builder("c").arity(-1).flags(names).handler(c -> { }).build().flagsOf(new byte[][] {});
    }

    private long later() {
        return System.currentTimeMillis() + 60_000;
    }

    @Test
    void nothingIsPostponedWithoutAPause() {
        assertFalse(pause.postpones(set));
        assertFalse(pause.frozen());
    }

    @Test
    void writePausePostponesWritesAndMayReplicateCommandsOnly() {
        pause.pause(Purpose.CLIENT_COMMAND, later(), Mode.WRITE);
        assertTrue(pause.postpones(set));
        assertTrue(pause.postpones(publish));
        assertFalse(pause.postpones(get));
    }

    @Test
    void allPausePostponesEverything() {
        pause.pause(Purpose.CLIENT_COMMAND, later(), Mode.ALL);
        assertTrue(pause.postpones(get));
        assertFalse(pause.frozen());
    }

    @Test
    void aNewPauseKeepsTheStricterModeAndTheLaterEnd() {
        pause.pause(Purpose.CLIENT_COMMAND, later(), Mode.ALL);
        pause.pause(Purpose.CLIENT_COMMAND, System.currentTimeMillis() - 1, Mode.WRITE);
        assertTrue(pause.postpones(get), "still ALL");
        scheduler.tasks.get(1).run();
        assertTrue(pause.postpones(get), "the earlier deadline's timer does not end it");
    }

    @Test
    void unpauseResumesWaitingClientsInTheOrderTheyWereHeld() {
        List<Long> order = new ArrayList<>();
        TestClient first = new TestClient(engine);
        first.onResume(() -> order.add(first.id()));
        TestClient second = new TestClient(engine);
        second.onResume(() -> order.add(second.id()));
        pause.pause(Purpose.CLIENT_COMMAND, later(), Mode.ALL);
        pause.postpone(first);
        pause.postpone(second);
        pause.postpone(first);
        assertTrue(pause.isWaiting(first));
        assertEquals(2, engine.clients().blockedCount(), "held clients count as blocked");
        pause.unpause(Purpose.CLIENT_COMMAND);
        assertTrue(order.isEmpty(), "resumed after the current work, not inside CLIENT UNPAUSE");
        scheduler.runAll();
        assertEquals(List.of(first.id(), second.id()), order);
        assertEquals(0, engine.clients().blockedCount());
        assertFalse(pause.isWaiting(first));
        assertFalse(pause.postpones(set));
    }

    @Test
    void anExpiredPauseEndsOnItsTimer() {
        TestClient client = new TestClient(engine);
        pause.pause(Purpose.CLIENT_COMMAND, System.currentTimeMillis(), Mode.ALL);
        pause.postpone(client);
        assertTrue(pause.postpones(get), "in force until its timer runs");
        scheduler.runAll();
        assertFalse(pause.postpones(get));
        assertEquals(1, client.resumes());
    }

    @Test
    void aDeadlineThatOverflowedIsAlreadyPast() {
        pause.pause(Purpose.CLIENT_COMMAND, System.currentTimeMillis() + Long.MAX_VALUE, Mode.ALL);
        assertEquals(List.of(0L), scheduler.delays);
        scheduler.runAll();
        assertFalse(pause.postpones(get));
    }

    @Test
    void aPauseWhoseTimerRunsEarlyWaitsForTheRest() {
        pause.pause(Purpose.CLIENT_COMMAND, later(), Mode.ALL);
        Runnable timer = scheduler.tasks.remove(0);
        scheduler.delays.remove(0);
        timer.run();
        assertTrue(pause.postpones(get));
        assertEquals(1, scheduler.tasks.size(), "rescheduled for the time left");
    }

    @Test
    void aForgottenClientIsNotResumed() {
        TestClient client = new TestClient(engine);
        pause.pause(Purpose.CLIENT_COMMAND, later(), Mode.ALL);
        pause.postpone(client);
        pause.forget(client);
        assertEquals(0, engine.clients().blockedCount());
        pause.unpause(Purpose.CLIENT_COMMAND);
        scheduler.runAll();
        assertEquals(0, client.resumes());
    }

    @Test
    void sleepFreezesUntilItsWakeRunsThenResumes() {
        List<String> events = new ArrayList<>();
        TestClient client = new TestClient(engine);
        client.onResume(() -> events.add("resume"));
        pause.sleep(500, () -> events.add("wake"));
        assertTrue(pause.frozen());
        assertEquals(List.of(500L), scheduler.delays);
        pause.postpone(client);
        pause.unpause(Purpose.CLIENT_COMMAND);
        assertTrue(pause.frozen(), "CLIENT UNPAUSE does not end DEBUG SLEEP");
        scheduler.runAll();
        assertFalse(pause.frozen());
        assertEquals(List.of("wake", "resume"), events);
    }

    @Test
    void aClientPauseOutlivesASleep() {
        pause.pause(Purpose.CLIENT_COMMAND, later(), Mode.WRITE);
        pause.sleep(10, () -> { });
        assertTrue(pause.postpones(get));
        scheduler.tasks.remove(0);
        scheduler.delays.remove(0);
        scheduler.runAll();
        assertFalse(pause.frozen());
        assertFalse(pause.postpones(get));
        assertTrue(pause.postpones(set));
    }
}
