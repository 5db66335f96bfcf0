package io.postbox.commands;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * All commands by name. Lookup takes the raw name bytes from the wire and matches them without
 * regard to ASCII case and without allocating, since it runs once per command.
 */
public final class CommandTable {

    private final List<Command> commands;
    private final byte[][] names;
    private final Command[] slots;
    private final int mask;

    public CommandTable(List<Command> commands) {
        this.commands = Collections.unmodifiableList(new ArrayList<>(commands));
        int capacity = Integer.highestOneBit(Math.max(16, commands.size() * 4) - 1) << 1;
        this.names = new byte[capacity][];
        this.slots = new Command[capacity];
        this.mask = capacity - 1;
        for (Command command : commands) {
            byte[] name = command.name().getBytes(StandardCharsets.US_ASCII);
            int slot = hash(name) & mask;
            while (slots[slot] != null) {
                if (equalsIgnoreCase(names[slot], name)) {
                    throw new IllegalArgumentException("command registered twice: " + command.name());
                }
                slot = (slot + 1) & mask;
            }
            names[slot] = name;
            slots[slot] = command;
        }
    }

    /** The command named {@code name} in any ASCII case, or null. */
    public Command lookup(byte[] name) {
        int slot = hash(name) & mask;
        while (slots[slot] != null) {
            if (equalsIgnoreCase(names[slot], name)) {
                return slots[slot];
            }
            slot = (slot + 1) & mask;
        }
        return null;
    }

    public Command lookup(String name) {
        return lookup(name.getBytes(StandardCharsets.ISO_8859_1));
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

    /** Every top-level command, in registration order. */
    public List<Command> all() {
        return commands;
    }

    /** Every command of the table, each container followed by its subcommands. */
    public List<Command> withSubcommands() {
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
