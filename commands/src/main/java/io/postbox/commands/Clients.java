package io.postbox.commands;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** Every connected client by id, in connection order (CLIENT LIST's order). Executor thread only. */
public final class Clients {

    private final Map<Long, Client> byId = new LinkedHashMap<>();
    private long nextId = 1;

    /** The id for the next client; ids are never reused. */
    public long nextId() {
        return nextId++;
    }

    public void add(Client client) {
        byId.put(client.id(), client);
    }

    public void remove(Client client) {
        byId.remove(client.id());
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
}
