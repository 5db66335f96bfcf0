package io.postbox.commands;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.postbox.commands.config.Config;
import io.postbox.commands.keyspace.Database;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Keys the server deletes on its own account reach the command log as Redis propagates them. */
class ServerDeletionsTest {

    private final List<String> logged = new ArrayList<>();
    private Engine engine;
    private TestClient client;
    private Database db;

    @BeforeEach
    void start() {
        engine = new Engine(new Config(), Commands.groups());
        engine.attach(new CommandLog() {
            @Override
            public void written(Invocation call) {
                logged.add(String.join(" ", text(call.args())));
            }

            @Override
            public void written(Database db, byte[][] command) {
                logged.add(String.join(" ", text(command)));
            }
        });
        client = new TestClient(engine);
        db = engine.database(0);
    }

    private static List<String> text(byte[][] words) {
        List<String> text = new ArrayList<>();
        for (byte[] word : words) {
            text.add(new String(word, StandardCharsets.ISO_8859_1));
        }
        return text;
    }

    private void run(String... args) {
        engine.dispatcher().dispatch(client, TestClient.request(args));
        client.replies();
    }

    /** A key stored with an expiry time long past, as a snapshot may hold one. */
    private void storeExpired(String key) {
        db.addLoaded(key.getBytes(StandardCharsets.ISO_8859_1), "v".getBytes(StandardCharsets.ISO_8859_1), 1);
        db.finishLoading();
    }

    @Test
    void anExpiredKeyIsLoggedAsDeletedBeforeTheWriteThatMetIt() {
        storeExpired("lease");
        run("lpush", "lease", "job");
        assertEquals(List.of("DEL lease", "lpush lease job"), logged);
    }

    @Test
    void aReadThatMeetsAnExpiredKeyLogsItsDeletion() {
        storeExpired("cache");
        run("get", "cache");
        assertEquals(List.of("DEL cache"), logged);
    }

    @Test
    void lazyfreeOptionsMakeTheDeletionsUnlinks() {
        run("config", "set", "lazyfree-lazy-expire", "yes");
        storeExpired("cache");
        run("get", "cache");
        run("set", "victim", "v");
        db.evict("victim".getBytes(StandardCharsets.ISO_8859_1));
        run("config", "set", "lazyfree-lazy-eviction", "yes");
        run("set", "other", "v");
        db.evict("other".getBytes(StandardCharsets.ISO_8859_1));
        assertEquals(List.of("UNLINK cache", "set victim v", "DEL victim", "set other v", "UNLINK other"), logged);
    }
}
