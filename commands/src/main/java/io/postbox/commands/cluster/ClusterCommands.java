package io.postbox.commands.cluster;

import io.postbox.commands.Command;
import io.postbox.commands.CommandGroup;
import io.postbox.commands.Errors;
import io.postbox.commands.Invocation;
import io.postbox.resp.ErrorReply;
import java.util.List;

/**
 * CLUSTER and its subcommands, READONLY, READWRITE and ASKING, as a Redis started without
 * {@code cluster-enabled} has them: in the command table, with Redis's arity, flags, usage and
 * versions, each answering that cluster support is disabled. Clients and tools that probe for a
 * cluster (CLUSTER INFO, CLUSTER SLOTS, READONLY) read that answer, not an unknown command; and
 * {@code INFO cluster} says {@code cluster_enabled:0}.
 */
public final class ClusterCommands implements CommandGroup {

    private static final ErrorReply DISABLED = Errors.err("This instance has cluster support disabled");
    /** Flags of the subcommands that change the cluster's layout. */
    private static final String ADMIN = "admin stale no_async_loading";
    private static final String SLOT_RANGES =
            "start-slot:integer end-slot:integer [start-slot:integer end-slot:integer ...]";
    private static final String PER_NODE = "O(N) with N the number of nodes in the cluster.";
    private static final String RANGES_COMPLEXITY = "O(N) with N the number of slots in the ranges.";

    @Override
    public List<Command> commands() {
        return List.of(
                Command.builder("cluster").arity(-2).group("cluster").summary("Runs the cluster subcommands.")
                        .since("3.0.0").complexity("Depends on subcommand.")
                        .subcommand(cluster("addslots", -3, ADMIN, "Assigns hash slots to this node.")
                                .complexity("O(N) with N the number of slots given.")
                                .syntax("slot:integer [slot:integer ...]"))
                        .subcommand(cluster("addslotsrange", -4, ADMIN, "Assigns ranges of hash slots to this node.")
                                .since("7.0.0").complexity(RANGES_COMPLEXITY)
                                .syntax(SLOT_RANGES))
                        .subcommand(cluster("bumpepoch", 2, ADMIN, "Advances the cluster's configuration epoch.")
                                .tips("nondeterministic_output"))
                        .subcommand(cluster("count-failure-reports", 3, "admin stale",
                                "Counts the failure reports on a node.")
                                .complexity("O(N) with N the number of the node's failure reports.")
                                .syntax("node-id").tips("nondeterministic_output"))
                        .subcommand(cluster("countkeysinslot", 3, "stale", "Counts this node's keys in a hash slot.")
                                .syntax("slot:integer"))
                        .subcommand(cluster("delslots", -3, ADMIN, "Unassigns hash slots from this node.")
                                .complexity("O(N) with N the number of slots given.")
                                .syntax("slot:integer [slot:integer ...]"))
                        .subcommand(cluster("delslotsrange", -4, ADMIN, "Unassigns hash slot ranges from this node.")
                                .since("7.0.0").complexity(RANGES_COMPLEXITY)
                                .syntax(SLOT_RANGES))
                        .subcommand(cluster("failover", -2, ADMIN, "Makes this replica take over from its master.")
                                .syntax("[FORCE | TAKEOVER]"))
                        .subcommand(cluster("flushslots", 2, ADMIN, "Forgets the hash slots this node serves."))
                        .subcommand(cluster("forget", 3, ADMIN, "Drops a node from this node's table.")
                                .syntax("node-id"))
                        .subcommand(cluster("getkeysinslot", 4, "stale", "Lists this node's keys in a hash slot.")
                                .complexity("O(log(N)) with N the number of keys asked for.")
                                .syntax("slot:integer count:integer").tips("nondeterministic_output"))
                        .subcommand(cluster("help", 2, "loading stale", "Lists the CLUSTER subcommands.")
                                .since("5.0.0"))
                        .subcommand(cluster("info", 2, "stale", "Describes the cluster's state.")
                                .tips("nondeterministic_output"))
                        .subcommand(cluster("keyslot", 3, "stale", "Tells the hash slot of a key.")
                                .complexity("O(N) with N the length of the key.")
                                .syntax("key:string"))
                        .subcommand(cluster("links", 2, "stale", "Lists the connections with the other nodes.")
                                .since("7.0.0").complexity(PER_NODE)
                                .tips("nondeterministic_output"))
                        .subcommand(cluster("meet", -4, ADMIN, "Connects this node to another, joining their clusters.")
                                .history("4.0.0", "The cluster bus port became an optional argument.")
                                .syntax("ip port:integer [cluster_bus_port:integer]"))
                        .subcommand(cluster("myid", 2, "stale", "Tells this node's id."))
                        .subcommand(cluster("nodes", 2, "stale", "Describes every node, as the cluster's config does.")
                                .complexity(PER_NODE)
                                .tips("nondeterministic_output"))
                        .subcommand(cluster("replicas", 3, "admin stale", "Lists the replicas of a master.")
                                .since("5.0.0").syntax("node-id").tips("nondeterministic_output"))
                        .subcommand(cluster("replicate", 3, ADMIN, "Makes this node a replica of a master.")
                                .syntax("node-id"))
                        .subcommand(cluster("reset", -2, "admin noscript stale", "Resets this node's cluster state.")
                                .complexity("O(N) with N the number of known nodes; it may flush every key.")
                                .syntax("[HARD | SOFT]"))
                        .subcommand(cluster("saveconfig", 2, ADMIN, "Writes the cluster's state to its config file."))
                        .subcommand(cluster("set-config-epoch", 3, ADMIN, "Sets a new node's configuration epoch.")
                                .syntax("config-epoch:integer"))
                        .subcommand(cluster("setslot", -4, ADMIN, "Changes which node serves a hash slot.")
                                .syntax("slot:integer <IMPORTING node-id | MIGRATING node-id | NODE node-id | STABLE>"))
                        .subcommand(cluster("shards", 2, "stale", "Describes the shards and their hash slots.")
                                .since("7.0.0").complexity(PER_NODE)
                                .tips("nondeterministic_output"))
                        .subcommand(cluster("slaves", 3, "admin stale", "Lists the replicas of a master.")
                                .deprecated("5.0.0", "`CLUSTER REPLICAS`").syntax("node-id")
                                .tips("nondeterministic_output"))
                        .subcommand(cluster("slots", 2, "stale", "Lists the hash slot ranges and their nodes.")
                                .complexity(PER_NODE)
                                .deprecated("7.0.0", "`CLUSTER SHARDS`")
                                .history("4.0.0", "Each node comes with its id.")
                                .history("7.0.0", "Each node comes with a field of network details.")
                                .tips("nondeterministic_output"))
                        .build(),
                clusterConnection("readonly", "loading stale fast", "Lets this connection read from a replica node."),
                clusterConnection("readwrite", "loading stale fast", "Ends reads from a replica node."),
                clusterConnection("asking", "fast", "Marks the next command as following an -ASK redirection."));
    }

    /** A CLUSTER subcommand (its complexity O(1) unless said otherwise). */
    private static Command.Builder cluster(String name, int arity, String flags, String summary) {
        return Command.builder(name).arity(arity).flags(flags).group("cluster").summary(summary).since("3.0.0")
                .complexity("O(1)").handler(ClusterCommands::disabled);
    }

    private static Command clusterConnection(String name, String flags, String summary) {
        return Command.builder(name).arity(1).flags(flags).acl("@connection").group("cluster").summary(summary)
                .since("3.0.0").complexity("O(1)").handler(ClusterCommands::disabled).build();
    }

    private static void disabled(Invocation call) {
        throw DISABLED;
    }
}
