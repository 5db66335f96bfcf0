package io.postbox.commands.keyspace;

/**
 * Where a database reports keyspace events (Redis's notifyKeyspaceEvent): the class of the event
 * ({@link Notify}), its name ({@code lpush}, {@code expired}, ...) and the key. Whoever implements it
 * decides, by {@code notify-keyspace-events}, whether anything is published.
 */
@FunctionalInterface
public interface KeyspaceEvents {

    KeyspaceEvents NONE = (db, eventClass, event, key) -> { };

    void notify(Database db, int eventClass, String event, byte[] key);
}
