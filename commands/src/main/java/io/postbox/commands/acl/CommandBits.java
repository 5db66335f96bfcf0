package io.postbox.commands.acl;

import io.postbox.commands.AclCategory;
import io.postbox.commands.Command;
import io.postbox.commands.CommandTable;
import java.nio.charset.StandardCharsets;
import java.util.BitSet;
import java.util.EnumMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Every command and subcommand under its own name, each with a bit in a selector's set of allowed
 * commands. ACL rules name commands as Redis's original command table does, so rename-command
 * changes nothing here.
 */
final class CommandBits {

    private final CommandTable table;
    private final List<Command> byBit;
    private final Map<Command, Integer> bits = new IdentityHashMap<>();
    private final Map<AclCategory, BitSet> categories = new EnumMap<>(AclCategory.class);

    CommandBits(CommandTable table) {
        this.table = table;
        this.byBit = table.originalsWithSubcommands();
        for (int i = 0; i < byBit.size(); i++) {
            bits.put(byBit.get(i), i);
        }
        for (AclCategory category : AclCategory.values()) {
            BitSet members = new BitSet(byBit.size());
            for (int i = 0; i < byBit.size(); i++) {
                members.set(i, byBit.get(i).aclCategories().contains(category));
            }
            categories.put(category, members);
        }
    }

    int bit(Command command) {
        return bits.get(command);
    }

    /** Every command, each container followed by its subcommands. */
    List<Command> all() {
        return byBit;
    }

    /** {@code get}, or {@code config|get} for a subcommand, in any case; null if there is none. */
    Command lookup(String fullName) {
        int bar = fullName.indexOf('|');
        Command base = table.lookupOriginal(
                (bar < 0 ? fullName : fullName.substring(0, bar)).getBytes(StandardCharsets.ISO_8859_1));
        if (bar < 0 || base == null) {
            return base;
        }
        String sub = fullName.substring(bar + 1);
        return sub.indexOf('|') >= 0 ? null : base.subcommands().get(sub.toLowerCase(Locale.ROOT));
    }

    /** The bits of the commands in {@code category}; not to be changed. */
    BitSet category(AclCategory category) {
        return categories.get(category);
    }

    /** Sets the bit of {@code command} in {@code set}, and those of a container's subcommands with it. */
    void setWithSubcommands(BitSet set, Command command, boolean value) {
        set.set(bit(command), value);
        command.subcommands().values().forEach(sub -> set.set(bit(sub), value));
    }

    /** {@link #setWithSubcommands} for every command of {@code category}, as a +@category rule applies. */
    void setCategory(BitSet set, AclCategory category, boolean value) {
        BitSet members = category(category);
        for (int bit = members.nextSetBit(0); bit >= 0; bit = members.nextSetBit(bit + 1)) {
            setWithSubcommands(set, byBit.get(bit), value);
        }
    }
}
