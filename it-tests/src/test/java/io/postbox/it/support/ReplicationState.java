package io.postbox.it.support;

import static io.postbox.it.support.Await.awaitTrue;

import java.util.Map;
import redis.clients.jedis.Jedis;

/** What the replication tests read of a server, Postbox or redis-server alike: its INFO replication and stats. */
public final class ReplicationState {

    private ReplicationState() {
    }

    public static Map<String, String> info(Jedis server, String section) {
        return InfoFields.parse(server.info(section));
    }

    /** Waits until {@code replica}'s link to its master is up. */
    public static void awaitLinkUp(Jedis replica) throws InterruptedException {
        awaitTrue(() -> "up".equals(info(replica, "replication").get("master_link_status")),
                "the link to the master up");
    }

    /** The syncs {@code master} has served, as "full/partial" (sync_full and sync_partial_ok). */
    public static String syncsServed(Jedis master) {
        Map<String, String> stats = info(master, "stats");
        return stats.get("sync_full") + "/" + stats.get("sync_partial_ok");
    }
}
