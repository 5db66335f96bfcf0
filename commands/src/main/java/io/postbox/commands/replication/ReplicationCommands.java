package io.postbox.commands.replication;

import io.postbox.commands.Client;
import io.postbox.commands.Command;
import io.postbox.commands.CommandGroup;
import io.postbox.commands.Errors;
import io.postbox.commands.Invocation;
import io.postbox.commands.Numbers;
import io.postbox.commands.admin.LogLevel;
import io.postbox.commands.config.ConfigSyntax;
import io.postbox.commands.connection.ClientInfo;
import io.postbox.resp.ErrorReply;
import io.postbox.resp.Reply;
import java.util.List;

/**
 * Replication's commands. As a master, Postbox feeds replicas (Redis's own, {@code redis-cli
 * --replica}, other Postbox servers): SYNC and PSYNC make the connection a replica (see {@link
 * io.postbox.commands.admin.Durability#syncReplica}); REPLCONF takes its options and its
 * acknowledgements, which ROLE, INFO replication, WAIT and {@code min-replicas-to-write} count.
 * {@code REPLICAOF host port} makes it a replica that follows a master through its {@link MasterLink}
 * (and feeds its own replicas what it applies), and {@code REPLICAOF NO ONE} a master again. FAILOVER
 * hands the master's role to a replica and follows it ({@link Failover}); the replica takes it when
 * its master's PSYNC says FAILOVER.
 */
public final class ReplicationCommands implements CommandGroup {

    private static final ErrorReply PENDING_OUTPUT = Errors.err("SYNC and PSYNC are invalid with pending output");
    private static final ErrorReply FUNCTIONS_ONLY_UNSUPPORTED =
            Errors.err("Postbox cannot send a snapshot of the functions only (rdb-filter-only): use FUNCTION DUMP");
    private static final ErrorReply NO_MASTER_LINK =
            new ErrorReply("NOMASTERLINK Can't SYNC while not connected with my master");
    private static final ErrorReply FAILING_OVER = new ErrorReply("NOMASTERLINK Can't SYNC while failing over");
    private static final ErrorReply INVALID_MASTER_PORT = Errors.err("Invalid master port");
    private static final ErrorReply TIMEOUT_NOT_INTEGER = Errors.err("timeout is not an integer or out of range");
    /** NET_HOST_STR_LEN: a replica's announced address, with its NUL, must fit in Redis's buffer. */
    private static final int MAX_ADDRESS_BYTES = 255;

    @Override
    public List<Command> commands() {
        String syntax = "<host port | NO ONE>";
        return List.of(
                Command.builder("replicaof").arity(3).flags("admin noscript stale no_async_loading").group("server")
                        .summary("Make the server a replica of another instance, or promote it as master.")
                        .since("5.0.0").complexity("O(1)").syntax(syntax)
                        .handler(ReplicationCommands::replicaOf).build(),
                Command.builder("slaveof").arity(3).flags("admin noscript stale no_async_loading").group("server")
                        .summary("Make the server a replica of another instance, or promote it as master.")
                        .since("1.0.0").complexity("O(1)").syntax(syntax).deprecated("5.0.0", "`REPLICAOF`")
                        .handler(ReplicationCommands::replicaOf).build(),
                Command.builder("failover").arity(-1).flags("admin noscript stale").group("server")
                        .summary("Starts a coordinated failover from a server to one of its replicas.")
                        .since("6.2.0")
                        .complexity("O(1)").syntax("[TO host port [FORCE]] [ABORT] [TIMEOUT milliseconds]")
                        .handler(ReplicationCommands::failover).build(),
                Command.builder("sync").arity(1).flags("admin noscript no_async_loading no_multi").group("server")
                        .summary("An internal command used in replication.").since("1.0.0")
                        .handler(ReplicationCommands::sync).build(),
                Command.builder("psync").arity(-3).flags("admin noscript no_async_loading no_multi").group("server")
                        .summary("An internal command used in replication.").since("2.8.0")
                        .syntax("replicationid offset:integer")
                        .handler(ReplicationCommands::psync).build(),
                Command.builder("replconf").arity(-1).flags("admin noscript loading stale allow_busy").group("server")
                        .summary("Sets a replica's replication options.").since("3.0.0").complexity("O(1)")
                        .docFlags("syscmd").handler(ReplicationCommands::replconf).build(),
                Command.builder("role").arity(1).flags("noscript loading stale fast").acl("@admin @dangerous")
                        .group("server").summary("Return the role of the instance in the context of replication")
                        .since("2.8.12").complexity("O(1)")
                        .handler(ReplicationCommands::role).build(),
                Command.builder("wait").arity(3).flags("noscript").acl("@connection").group("generic")
                        .summary("Blocks until the asynchronous replication of all preceding write commands sent by "
                                + "the connection are completed.")
                        .since("3.0.0").complexity("O(1)").syntax("numreplicas timeout")
                        .tips("request_policy:all_shards", "response_policy:agg_min")
                        .handler(ReplicationCommands::waitForReplicas).build());
    }

    /**
     * Follows {@code host port} from now on ({@link MasterLink#follow}), or no master (NO ONE), with
     * Redis's checks and replies.
     */
    private static void replicaOf(Invocation call) {
        if (call.engine().failover().state() != Failover.State.NONE) {
            throw Errors.err("REPLICAOF not allowed while failing over.");
        }
        MasterLink link = call.engine().masterLink();
        if (call.argIs(1, "no") && call.argIs(2, "one")) {
            if (link.following()) {
                link.stop();
                call.engine().process().log(LogLevel.NOTICE, "MASTER MODE enabled (user request from '"
                        + ClientInfo.line(call.client(), call.engine()) + "')");
            }
            call.reply().ok();
            return;
        }
        if (call.client().replica()) {
            throw Errors.err("Command is not valid when client is a replica.");
        }
        long port = Numbers.parseLong(call.arg(2), INVALID_MASTER_PORT);
        if (port < 0 || port > 65535) {
            throw INVALID_MASTER_PORT;
        }
        if (link.follow(call.argString(1), (int) port, call.client())) {
            call.reply().ok();
        } else {
            call.reply().simple("OK Already connected to specified master");
        }
    }

    /**
     * Redis's checks, in its order: ABORT alone, else each option once (TIMEOUT above 0, TO with an
     * integer port), then a failover under way, a replica, no replicas, FORCE without both TO and
     * TIMEOUT, a target that is no replica or not online. Then the failover starts ({@link Failover}).
     */
    private static void failover(Invocation call) {
        Failover failover = call.engine().failover();
        if (call.argc() == 2 && call.argIs(1, "abort")) {
            if (failover.state() == Failover.State.NONE) {
                throw Errors.err("No failover in progress.");
            }
            failover.abort("Failover manually aborted");
            call.reply().ok();
            return;
        }
        long timeout = 0;
        String host = null;
        long port = 0;
        boolean force = false;
        for (int i = 1; i < call.argc(); i++) {
            if (call.argIs(i, "timeout") && i + 1 < call.argc() && timeout == 0) {
                timeout = call.longArg(i + 1);
                if (timeout <= 0) {
                    throw Errors.err("FAILOVER timeout must be greater than 0");
                }
                i++;
            } else if (call.argIs(i, "to") && i + 2 < call.argc() && host == null) {
                port = call.longArg(i + 2);
                host = call.argString(i + 1);
                i += 2;
            } else if (call.argIs(i, "force") && !force) {
                force = true;
            } else {
                throw Errors.SYNTAX;
            }
        }
        if (failover.state() != Failover.State.NONE) {
            throw Errors.err("FAILOVER already in progress.");
        }
        if (call.engine().masterLink().following()) {
            throw Errors.err("FAILOVER is not valid when server is a replica.");
        }
        if (!call.engine().clients().anyReplica()) {
            throw Errors.err("FAILOVER requires connected replicas.");
        }
        if (force && (timeout == 0 || host == null)) {
            throw Errors.err("FAILOVER with force option requires both a timeout and target HOST and IP.");
        }
        if (host != null) {
            Client target = failover.replica(host, (int) port);
            if (target == null || port != (int) port) {
                throw Errors.err("FAILOVER target HOST and PORT is not a replica.");
            }
            if (!target.replicaOnline()) {
                throw Errors.err("FAILOVER target replica is not online.");
            }
        }
        failover.start(host, (int) port, timeout, force);
        call.reply().ok();
    }

    /**
     * A full sync, with no +FULLRESYNC line before the payload. As in Redis, a client with replies not
     * yet sent (SYNC pipelined after other commands) is refused, since the payload must be the first
     * thing it reads, and a replica that asks again is ignored. A server that follows a master feeds
     * replicas only while its link is up, as Redis's does.
     */
    private static void sync(Invocation call) {
        startSync(call, null, -1);
    }

    /** The offset is read first, as Redis reads it before it looks at the replication ID. */
    private static void psync(Invocation call) {
        long offset = call.longArg(2);
        startSync(call, call.argString(1), offset);
    }

    /**
     * Starts a sync as Redis's syncCommand does. A PSYNC that says FAILOVER comes from this server's
     * master, which hands it its role: if it names the history this server carries, this server stops
     * following and is the master the PSYNC continues with.
     */
    private static void startSync(Invocation call, String replicationId, long offset) {
        Client client = call.client();
        if (client.replica()) {
            return;
        }
        MasterLink link = call.engine().masterLink();
        if (call.argc() > 3 && call.argIs(3, "failover")) {
            if (!replicationId.equalsIgnoreCase(call.engine().replicationFeed().replicationId())) {
                throw Errors.err("PSYNC FAILOVER replid must match my replid.");
            }
            if (link.following()) {
                link.stop();
            }
            call.engine().process().log(LogLevel.NOTICE, "MASTER MODE enabled (failover request from '"
                    + ClientInfo.line(client, call.engine()) + "')");
        }
        if (call.engine().failover().state() != Failover.State.NONE) {
            throw FAILING_OVER;
        }
        if (link.following() && link.state() != MasterLink.State.CONNECTED) {
            throw NO_MASTER_LINK;
        }
        refusePendingOutput(call);
        if (client.rdbFunctionsOnly()) {
            throw FUNCTIONS_ONLY_UNSUPPORTED;
        }
        call.engine().durability().syncReplica(client, replicationId, offset);
    }

    private static void refusePendingOutput(Invocation call) {
        if (call.client().pendingOutputBytes() > 0) {
            throw PENDING_OUTPUT;
        }
    }

    /**
     * Option-value pairs, each checked as Redis checks it; any capability (CAPA) is accepted. ACK and
     * GETACK end the command without a reply, as in Redis: they are for replicas and masters, which
     * expect none. An ACK from a replica records its offset (one that is no number is ignored, as
     * Redis ignores it) and may end WAITs; GETACK has a replica send its master an acknowledgement.
     */
    private static void replconf(Invocation call) {
        if (call.argc() % 2 == 0) {
            throw Errors.SYNTAX;
        }
        for (int i = 1; i < call.argc(); i += 2) {
            if (call.argIs(i, "listening-port")) {
                // Kept as Redis keeps it, in a C int.
                call.client().replicaListeningPort((int) call.longArg(i + 1));
            } else if (call.argIs(i, "ip-address")) {
                int length = call.arg(i + 1).length;
                if (length > MAX_ADDRESS_BYTES) {
                    throw Errors.err("REPLCONF ip-address provided by replica instance is too long: " + length
                            + " bytes");
                }
                call.client().replicaAnnouncedIp(call.argString(i + 1));
            } else if (call.argIs(i, "ack")) {
                acknowledge(call, call.arg(i + 1));
                return;
            } else if (call.argIs(i, "getack")) {
                call.engine().masterLink().acknowledge();
                return;
            } else if (call.argIs(i, "rdb-only")) {
                call.client().rdbOnly(Numbers.parseLongInRange(call.arg(i + 1), 0, 1) == 1);
            } else if (call.argIs(i, "rdb-filter-only")) {
                call.client().rdbFunctionsOnly(!rdbFilters(call.argString(i + 1)).isEmpty());
            } else if (!call.argIs(i, "capa")) {
                throw Errors.err("Unrecognized REPLCONF option: " + call.argString(i));
            }
        }
        call.reply().ok();
    }

    private static void acknowledge(Invocation call, byte[] offset) {
        Client client = call.client();
        if (client.replica() && Numbers.isLong(offset)) {
            client.replicaAcked(Numbers.parseLong(offset), call.engine().now());
            call.engine().replicaAcks().acked();
            call.engine().failover().check();
            call.engine().shutdownWait().check();
        }
    }

    /** The value is a list of words, split as a config line is; "functions" is the only filter there is. */
    private static List<String> rdbFilters(String value) {
        List<String> filters = ConfigSyntax.words(value);
        if (filters == null) {
            throw Errors.err("Missing rdb-filter-only values");
        }
        for (String filter : filters) {
            if (!filter.equalsIgnoreCase("functions")) {
                throw Errors.err("Unsupported rdb-filter-only option: " + filter);
            }
        }
        return filters;
    }

    /**
     * A master, its offset, and each online replica's address, port and acknowledged offset; or a
     * replica, its master, the link's state and the master's offset applied.
     */
    private static void role(Invocation call) {
        MasterLink link = call.engine().masterLink();
        Reply reply = call.reply();
        if (link.following()) {
            reply.array(5);
            reply.bulk("slave");
            reply.bulk(link.host());
            reply.integer(link.port());
            reply.bulk(link.state().roleName());
            // As Redis's: the offset of the master's client, so none while the link is not up.
            reply.integer(link.state() == MasterLink.State.CONNECTED ? link.appliedOffset() : -1);
            return;
        }
        List<Client> online = call.engine().replicaAcks().onlineReplicas();
        reply.array(3);
        reply.bulk("master");
        reply.integer(call.engine().replicationFeed().offset());
        reply.array(online.size());
        for (Client replica : online) {
            reply.array(3);
            reply.bulk(replica.replicaHost());
            reply.bulk(Integer.toString(replica.replicaListeningPort()));
            reply.bulk(Long.toString(replica.replicaAckOffset()));
        }
    }

    /**
     * Answers with the number of online replicas that acknowledged the connection's writes, at once if
     * that is at least {@code numreplicas} or the client may not block (in EXEC), else once it is or
     * the timeout (milliseconds, 0 for ever) passes ({@link ReplicaAcks}).
     */
    private static void waitForReplicas(Invocation call) {
        if (call.engine().masterLink().following()) {
            throw Errors.err("WAIT cannot be used with replica instances. Please also note that since Redis 4.0 "
                    + "if a replica is configured to be writable (which is not the default) writes to replicas "
                    + "are just local and are not propagated.");
        }
        long replicas = call.longArg(1);
        long timeout = Numbers.parseLong(call.arg(2), TIMEOUT_NOT_INTEGER);
        if (timeout < 0) {
            throw Errors.err("timeout is negative");
        }
        call.engine().replicaAcks().waitFor(call, replicas, timeout);
    }
}
