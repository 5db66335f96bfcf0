package io.postbox.commands.connection;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.postbox.commands.AclCategory;
import io.postbox.commands.Command;
import io.postbox.commands.CommandFlag;
import io.postbox.commands.CommandTable;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Arity, flags, ACL categories and tips of the connection commands, as Redis 7.0.15's COMMAND INFO
 * printed them (captured from the reference server). The side-by-side cases compare the rendered
 * COMMAND INFO too; this pins the table itself.
 */
class ConnectionCommandMetadataTest {

    private static final List<String> REFERENCE = List.of(
            "hello -1 noscript loading stale fast no_auth allow_busy | @fast @connection | ",
            "auth -2 noscript loading stale fast no_auth allow_busy | @fast @connection | ",
            "quit -1 noscript loading stale fast no_auth allow_busy | @fast @connection | ",
            "reset 1 noscript loading stale fast no_auth allow_busy | @fast @connection | ",
            "ping -1 fast | @fast @connection | request_policy:all_shards response_policy:all_succeeded",
            "echo 2 loading stale fast | @fast @connection | ",
            "debug -2 admin noscript loading stale | @admin @slow @dangerous | ",
            "client -2  | @slow | ",
            "client|id 2 noscript loading stale | @slow @connection | ",
            "client|setname 3 noscript loading stale | @slow @connection | ",
            "client|getname 2 noscript loading stale | @slow @connection | ",
            "client|info 2 noscript loading stale | @slow @connection | nondeterministic_output",
            "client|list -2 admin noscript loading stale | @admin @slow @dangerous @connection | nondeterministic_output",
            "client|kill -3 admin noscript loading stale | @admin @slow @dangerous @connection | ",
            "client|unblock -3 admin noscript loading stale | @admin @slow @dangerous @connection | ",
            "client|pause -3 admin noscript loading stale | @admin @slow @dangerous @connection | ",
            "client|unpause 2 admin noscript loading stale | @admin @slow @dangerous @connection | ",
            "client|reply 3 noscript loading stale | @slow @connection | ",
            "client|no-evict 3 admin noscript loading stale | @admin @slow @dangerous @connection | ",
            "client|getredir 2 noscript loading stale | @slow @connection | ",
            "client|trackinginfo 2 noscript loading stale | @slow @connection | ",
            "client|caching 3 noscript loading stale | @slow @connection | ",
            "client|help 2 loading stale | @slow @connection | ");

    @Test
    void metadataMatchesRedis7CommandInfo() {
        List<Command> all = new ArrayList<>(new ConnectionCommands().commands());
        all.addAll(new ClientCommands().commands());
        CommandTable table = new CommandTable(all);
        for (String expected : REFERENCE) {
            String[] name = expected.substring(0, expected.indexOf(' ')).split("\\|");
            Command command = table.lookup(name[0]);
            if (name.length == 2) {
                command = command.subcommands().get(name[1]);
            }
            assertEquals(expected, describe(command));
        }
    }

    @Test
    void everyCommandHasItsDocumentation() {
        List<Command> all = new ArrayList<>(new ClientCommands().commands());
        all.addAll(new ConnectionCommands().commands());
        List<Command> withSubcommands = new ArrayList<>(all);
        all.forEach(command -> withSubcommands.addAll(command.subcommands().values()));
        for (Command command : withSubcommands) {
            assertEquals(false, command.docs().summary().isEmpty(), command.fullName() + " summary");
            assertEquals(false, command.docs().complexity().isEmpty(), command.fullName() + " complexity");
        }
    }

    private static String describe(Command command) {
        return command.fullName() + " " + command.arity() + " "
                + command.flags().stream().map(CommandFlag::wireName).collect(Collectors.joining(" ")) + " | "
                + command.aclCategories().stream().map(AclCategory::wireName).collect(Collectors.joining(" "))
                + " | " + String.join(" ", command.tips());
    }
}
