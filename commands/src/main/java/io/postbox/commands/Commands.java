package io.postbox.commands;

import io.postbox.commands.acl.AclCommands;
import io.postbox.commands.admin.LatencyCommands;
import io.postbox.commands.admin.ModuleCommands;
import io.postbox.commands.admin.ServerCommands;
import io.postbox.commands.bitmaps.BitmapCommands;
import io.postbox.commands.cluster.ClusterCommands;
import io.postbox.commands.config.ConfigCommands;
import io.postbox.commands.connection.ClientCommands;
import io.postbox.commands.connection.ConnectionCommands;
import io.postbox.commands.geo.GeoCommands;
import io.postbox.commands.hashes.HashCommands;
import io.postbox.commands.hyperloglog.HyperLogLogCommands;
import io.postbox.commands.introspection.CommandCommands;
import io.postbox.commands.keyspace.KeyspaceCommands;
import io.postbox.commands.lists.ListCommands;
import io.postbox.commands.lolwut.Lolwut;
import io.postbox.commands.monitor.MonitorCommands;
import io.postbox.commands.pubsub.PubSubCommands;
import io.postbox.commands.replication.ReplicationCommands;
import io.postbox.commands.scripting.ScriptingCommands;
import io.postbox.commands.sets.SetCommands;
import io.postbox.commands.sort.SortCommands;
import io.postbox.commands.streams.StreamCommands;
import io.postbox.commands.strings.StringCommands;
import io.postbox.commands.transactions.TransactionCommands;
import io.postbox.commands.zsets.SortedSetCommands;
import java.util.List;

/** Every command group the server registers. A new group is added here, and only here. */
public final class Commands {

    private Commands() {
    }

    public static List<CommandGroup> groups() {
        return List.of(
                new ConnectionCommands(),
                new ClusterCommands(),
                new ClientCommands(),
                new AclCommands(),
                new ServerCommands(),
                new ReplicationCommands(),
                new LatencyCommands(),
                new Lolwut(),
                new ModuleCommands(),
                new ConfigCommands(),
                new CommandCommands(),
                new KeyspaceCommands(),
                new StringCommands(),
                new BitmapCommands(),
                new HyperLogLogCommands(),
                new ListCommands(),
                new HashCommands(),
                new SetCommands(),
                new SortCommands(),
                new SortedSetCommands(),
                new GeoCommands(),
                new StreamCommands(),
                new TransactionCommands(),
                new PubSubCommands(),
                new MonitorCommands(),
                new ScriptingCommands());
    }
}
