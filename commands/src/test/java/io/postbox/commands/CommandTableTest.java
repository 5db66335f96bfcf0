package io.postbox.commands;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.postbox.commands.config.CommandRename;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Lookup by the names clients use, with rename-command applied, and by each command's own name. */
class CommandTableTest {

    private final Command get = command("get");
    private final Command set = command("set");
    private final Command flushdb = command("flushdb");
    private final List<Command> commands = List.of(get, set, flushdb);

    @Test
    void namesMatchInAnyAsciiCase() {
        CommandTable table = new CommandTable(commands);
        assertSame(get, table.lookup(bytes("GeT")));
        assertNull(table.lookup(bytes("gets")));
        assertEquals(3, table.size());
    }

    @Test
    void aRenamedCommandAnswersToItsNewNameOnlyAndOneRenamedToNothingToNone() {
        CommandTable table = new CommandTable(commands,
                List.of(new CommandRename("FLUSHDB", "Badger"), new CommandRename("set", "")));
        assertSame(flushdb, table.lookup(bytes("BADGER")));
        assertNull(table.lookup(bytes("flushdb")));
        assertNull(table.lookup(bytes("set")));
        assertEquals(List.of(get, flushdb), table.all(), "what clients can call, under the commands' own names");
        assertSame(flushdb, table.lookupOriginal(bytes("flushdb")));
        assertSame(set, table.lookupOriginal(bytes("SET")));
        assertNull(table.lookupOriginal(bytes("badger")));
    }

    @Test
    void renamesApplyInOrderAndAFreedNameCanBeTakenAgain() {
        CommandTable table = new CommandTable(commands,
                List.of(new CommandRename("flushdb", "wipe"), new CommandRename("get", "flushdb"),
                        new CommandRename("wipe", "danger")));
        assertSame(get, table.lookup(bytes("flushdb")));
        assertSame(flushdb, table.lookup(bytes("danger")));
        assertNull(table.lookup(bytes("wipe")));
    }

    @Test
    void renamesRedisRefusesAreRefusedWithItsReasons() {
        assertEquals("No such command in rename-command", assertThrows(CommandTable.RenameRefused.class,
                () -> new CommandTable(commands, List.of(new CommandRename("nosuch", "x")))).getMessage());
        assertEquals("Target command name already exists", assertThrows(CommandTable.RenameRefused.class,
                () -> new CommandTable(commands, List.of(new CommandRename("get", "SET")))).getMessage());
        assertEquals("No such command in rename-command", assertThrows(CommandTable.RenameRefused.class,
                () -> new CommandTable(commands,
                        List.of(new CommandRename("get", ""), new CommandRename("get", "x")))).getMessage());
    }

    private static Command command(String name) {
        return Command.builder(name).arity(-1).flags("").group("generic").summary(name).since("1.0.0")
                .complexity("O(1)").handler(call -> call.reply().ok()).build();
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
