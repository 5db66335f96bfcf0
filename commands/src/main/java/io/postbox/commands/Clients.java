package io.postbox.commands;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** Every connected client by id, in connection order (CLIENT LIST's order). Executor thread only. */
public final class Clients {

    private final Map<Long, Client> byId = new LinkedHashMap<>();
    private long nextId = 1;
    private int blocked;

    /** The id for the next client; ids are never reused. */
    public long nextId() {
        return nextId++;
    }

    public void add(Client client) {
        byId.put(client.id(), client);
    }

    /** Forgets a client that left; a blocking command it was waiting in is abandoned. */
    public void remove(Client client) {
        byId.remove(client.id());
        BlockedOperation waiting = client.blockedOn();
        if (waiting != null) {
            waiting.abandon();
        }
    }

    public Client get(long id) {
        return byId.get(id);
    }

    public Collection<Client> all() {
        return Collections.unmodifiableCollection(byId.values());
    }

    public int size() {
        return byId.size();
    }

    /** Whether any client is a replica, in whatever state (Redis's server.slaves not empty). */
    public boolean anyReplica() {
        for (Client client : byId.values()) {
            if (client.replica()) {
                return true;
            }
        }
        return false;
    }

    /** Clients waiting in a blocking command (BLPOP, WAIT...), as INFO's blocked_clients. */
    public int blockedCount() {
        return blocked;
    }

    /** Blocking commands call this with +1 when a client starts waiting and -1 when it stops. */
    public void countBlocked(int delta) {
        blocked += delta;
    }
}
