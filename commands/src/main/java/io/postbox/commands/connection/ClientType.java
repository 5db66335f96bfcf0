package io.postbox.commands.connection;

import io.postbox.commands.Ascii;
import io.postbox.commands.Client;
import io.postbox.commands.Errors;

/** The client classes CLIENT LIST TYPE and CLIENT KILL TYPE filter on. */
enum ClientType {
    NORMAL, REPLICA, PUBSUB, MASTER;

    /** The type named {@code name} in any ASCII case, up to a NUL ({@code slave} is the old name of replica). */
    static ClientType named(byte[] name) {
        if (Ascii.equalsIgnoreCaseUpToNul(name, "normal")) {
            return NORMAL;
        } else if (Ascii.equalsIgnoreCaseUpToNul(name, "replica") || Ascii.equalsIgnoreCaseUpToNul(name, "slave")) {
            return REPLICA;
        } else if (Ascii.equalsIgnoreCaseUpToNul(name, "pubsub")) {
            return PUBSUB;
        } else if (Ascii.equalsIgnoreCaseUpToNul(name, "master")) {
            return MASTER;
        }
        throw Errors.err("Unknown client type '" + OptionWords.text(name) + "'");
    }

    /**
     * The type of {@code client}: {@link #MASTER} for the link to the master this server follows,
     * {@link #REPLICA} for a replica, {@link #PUBSUB} while it has subscriptions, else {@link #NORMAL}.
     * Monitors, which Redis flags as replicas, count as normal, as in Redis.
     */
    static ClientType of(Client client) {
        if (client.master()) {
            return MASTER;
        }
        if (client.replica()) {
            return REPLICA;
        }
        return client.subscribed() ? PUBSUB : NORMAL;
    }
}
