package io.postbox.commands;

import io.postbox.commands.config.CommandRename;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * All commands by name. Lookup takes the raw name bytes from the wire and matches them without
 * regard to ASCII case and without allocating, since it runs once per command.
 *
 * <p>Clients call commands by the names the config file's {@code rename-command} directives leave
 * them (a command renamed to nothing cannot be called). A command keeps its own name everywhere else,
 * as in Redis: COMMAND INFO and INFO commandstats show it, and the server's own records (the
 * append-only file) use it, looked up through {@link #lookupOriginal}.
 */
public final class CommandTable {

    private final List<Command> commands;
    private final List<Command> originals;
    private final NameIndex byName;
    private final NameIndex byOriginalName;

    public CommandTable(List<Command> commands) {
        this(commands, List.of());
    }

    /** @throws RenameRefused with Redis's reason if a rename names no command or a name taken */
    public CommandTable(List<Command> commands, List<CommandRename> renames) {
        Map<String, Command> named = new LinkedHashMap<>();
        for (Command command : commands) {
            if (named.putIfAbsent(command.name(), command) != null) {
                throw new IllegalArgumentException("command registered twice: " + command.name());
            }
        }
        this.byOriginalName = new NameIndex(named);
        this.originals = List.copyOf(commands);
        if (renames.isEmpty()) {
            this.commands = List.copyOf(commands);
            this.byName = byOriginalName;
            return;
        }
        for (CommandRename rename : renames) {
            Command command = named.remove(Ascii.toLowerCase(rename.from()));
            if (command == null) {
                throw new RenameRefused("No such command in rename-command");
            }
            if (!rename.to().isEmpty() && named.putIfAbsent(Ascii.toLowerCase(rename.to()), command) != null) {
                throw new RenameRefused("Target command name already exists");
            }
        }
        Set<Command> callable = Collections.newSetFromMap(new IdentityHashMap<>());
        callable.addAll(named.values());
        this.commands = commands.stream().filter(callable::contains).toList();
        this.byName = new NameIndex(named);
    }

    /** The command clients call {@code name}, in any ASCII case, or null. */
    public Command lookup(byte[] name) {
        return byName.get(name);
    }

    public Command lookup(String name) {
        return lookup(name.getBytes(StandardCharsets.ISO_8859_1));
    }

    /** The command whose own name is {@code name}, in any ASCII case, renamed or not; null if none. */
    public Command lookupOriginal(byte[] name) {
        return byOriginalName.get(name);
    }

    /**
     * The command a call names: {@code args[0]}, or for a container its subcommand {@code args[1]}
     * (a container called alone is itself); null if there is none.
     */
    public Command lookupCall(byte[][] args) {
        Command command = lookup(args[0]);
        if (command == null || !command.isContainer() || args.length < 2) {
            return command;
        }
        return command.subcommands().get(new String(args[1], StandardCharsets.ISO_8859_1).toLowerCase(Locale.ROOT));
    }

    /** {@code get}, or {@code config|get} for a subcommand, in any case; null if there is none. */
    public Command lookupFullName(String name) {
        int bar = name.indexOf('|');
        if (bar < 0) {
            return lookup(name);
        }
        if (name.indexOf('|', bar + 1) >= 0) {
            return null;
        }
        Command container = lookup(name.substring(0, bar));
        return container == null ? null
                : container.subcommands().get(name.substring(bar + 1).toLowerCase(Locale.ROOT));
    }

    /** Every top-level command clients can call, in registration order. */
    public List<Command> all() {
        return commands;
    }

    /**
     * Every command under its own name, each container followed by its subcommands, renamed and
     * removed ones too: what ACL rules name, as Redis's original command table.
     */
    public List<Command> originalsWithSubcommands() {
        return withSubcommands(originals);
    }

    /** Every command of the table, each container followed by its subcommands. */
    public List<Command> withSubcommands() {
        return withSubcommands(commands);
    }

    private static List<Command> withSubcommands(List<Command> commands) {
        List<Command> all = new ArrayList<>();
        for (Command command : commands) {
            all.add(command);
            all.addAll(command.subcommands().values());
        }
        return all;
    }

    public int size() {
        return commands.size();
    }

    /** A rename-command directive that cannot be applied; the message is Redis's reason. */
    public static final class RenameRefused extends IllegalArgumentException {
        RenameRefused(String reason) {
            super(reason);
        }
    }

    /** Commands by lower-case name, in an open-addressing table matched without regard to ASCII case. */
    private static final class NameIndex {
        private final byte[][] names;
        private final Command[] slots;
        private final int mask;

        NameIndex(Map<String, Command> named) {
            int capacity = Integer.highestOneBit(Math.max(16, named.size() * 4) - 1) << 1;
            this.names = new byte[capacity][];
            this.slots = new Command[capacity];
            this.mask = capacity - 1;
            named.forEach((text, command) -> {
                byte[] name = text.getBytes(StandardCharsets.ISO_8859_1);
                int slot = hash(name) & mask;
                while (slots[slot] != null) {
                    slot = (slot + 1) & mask;
                }
                names[slot] = name;
                slots[slot] = command;
            });
        }

        Command get(byte[] name) {
            int slot = hash(name) & mask;
            while (slots[slot] != null) {
                if (equalsIgnoreCase(names[slot], name)) {
                    return slots[slot];
                }
                slot = (slot + 1) & mask;
            }
            return null;
        }

        private static int hash(byte[] name) {
            int h = 0;
            for (byte b : name) {
                h = 31 * h + lower(b);
            }
            return h ^ (h >>> 16);
        }

        private static boolean equalsIgnoreCase(byte[] lowerName, byte[] name) {
            if (lowerName.length != name.length) {
                return false;
            }
            for (int i = 0; i < name.length; i++) {
                if (lowerName[i] != lower(name[i])) {
                    return false;
                }
            }
            return true;
        }

        private static int lower(byte b) {
            return b >= 'A' && b <= 'Z' ? b + 32 : b;
        }
    }
}
