package io.postbox.commands.replication;

import io.postbox.commands.Client;

/**
 * The link to the master this server follows after {@code REPLICAOF host port}, as the commands see
 * it: its state for ROLE and INFO replication, and where the master's stream has been applied up to.
 * The server module keeps the connection; a server that follows no master has {@link #NONE}.
 *
 * <p>Executor thread only.
 */
public interface MasterLink {

    /** Redis's repl_state, with its handshake states as one. */
    enum State {
        /** Following no master. */
        NONE("none"),
        /** To connect at the next cron. */
        CONNECT("connect"),
        CONNECTING("connecting"),
        HANDSHAKE("handshake"),
        /** Receiving the master's snapshot. */
        TRANSFER("sync"),
        /** Applying the master's stream. */
        CONNECTED("connected");

        private final String roleName;

        State(String roleName) {
            this.roleName = roleName;
        }

        /** The state as ROLE names it. */
        public String roleName() {
            return roleName;
        }
    }

    State state();

    /** The master followed, or null. */
    String host();

    int port();

    /** Whether this server follows a master, linked to it or not (Redis's {@code server.masterhost}). */
    default boolean following() {
        return state() != State.NONE;
    }

    /**
     * The ID of the history the master is asked to continue (Redis's cached master): its own, carried
     * since a full sync or continue, or this server's from when it was a master; null if there is none.
     */
    String masterReplicationId();

    /** The offset up to which that history has been applied; -1 if there is none. */
    long appliedOffset();

    /** The master's offset up to which its stream has been read, applied or not. */
    long readOffset();

    /** When the master was last heard from (or, before the link is up, the link last moved), in Unix milliseconds. */
    long lastIoMillis();

    /** When the link last went down (or following began), in Unix milliseconds; 0 while it is up. */
    long downSinceMillis();

    /** The snapshot's size while one is received, else 0, and how much of it has arrived. */
    long transferSize();

    long transferRead();

    /**
     * Follows {@code host:port} from now on: any link to another master is dropped and replicas of this
     * server are disconnected, as Redis's replicationSetMaster. False if that master is followed already.
     * {@code by} is the client that asked (REPLICAOF), or null: the configuration at startup, or a
     * FAILOVER handing this master's role over.
     */
    boolean follow(String host, int port, Client by);

    /** Follows no master any more (REPLICAOF NO ONE, a failover): the data stays, and writes are taken again. */
    void stop();

    /** Sends the master the applied offset now ({@code REPLCONF GETACK}). */
    void acknowledge();

    /** A server that follows no master; following one needs the server module. */
    MasterLink NONE = new MasterLink() {
        @Override
        public State state() {
            return State.NONE;
        }

        @Override
        public String host() {
            return null;
        }

        @Override
        public int port() {
            return 0;
        }

        @Override
        public String masterReplicationId() {
            return null;
        }

        @Override
        public long appliedOffset() {
            return -1;
        }

        @Override
        public long readOffset() {
            return -1;
        }

        @Override
        public long lastIoMillis() {
            return 0;
        }

        @Override
        public long downSinceMillis() {
            return 0;
        }

        @Override
        public long transferSize() {
            return 0;
        }

        @Override
        public long transferRead() {
            return 0;
        }

        @Override
        public boolean follow(String host, int port, Client by) {
            throw new UnsupportedOperationException("following a master needs the server");
        }

        @Override
        public void stop() {
        }

        @Override
        public void acknowledge() {
        }
    };
}
