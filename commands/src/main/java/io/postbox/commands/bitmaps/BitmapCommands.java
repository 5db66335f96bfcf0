package io.postbox.commands.bitmaps;

import static io.postbox.commands.KeySpec.firstArgument;

import io.postbox.commands.Command;
import io.postbox.commands.CommandGroup;
import io.postbox.commands.CommandHandler;
import io.postbox.commands.KeySpec;
import java.util.List;

/**
 * Bitmap commands: strings read and written as arrays of bits, or of small integers at any bit
 * offset. This is the table of the family, with Redis 7.0's metadata for each command; the handlers
 * live in {@link SingleBits}, {@link BitRanges}, {@link BitOp} and {@link BitField}. Writes change the
 * string in place, as APPEND does.
 */
public final class BitmapCommands implements CommandGroup {

    private static final String BITFIELD_OPERATION = "<GET encoding offset | [OVERFLOW <WRAP | SAT | FAIL>]"
            + " <SET encoding offset value | INCRBY encoding offset increment>>";

    @Override
    public List<Command> commands() {
        return List.of(
                command("setbit", 4, "write denyoom", SingleBits::setbit)
                        .keys(firstArgument("RW access update"))
                        .summary("Sets or clears one bit of a string, growing it with zero bytes to reach the"
                                + " bit; replies the bit's old value.")
                        .since("2.2.0").complexity("O(1)").syntax("key offset value").build(),
                command("getbit", 3, "readonly fast", SingleBits::getbit)
                        .keys(firstArgument("RO access"))
                        .summary("Replies one bit of a string; bits past its end are 0.")
                        .since("2.2.0").complexity("O(1)").syntax("key offset").build(),
                command("bitcount", -2, "readonly", BitRanges::bitcount)
                        .keys(firstArgument("RO access"))
                        .summary("Counts the set bits of a string, or of a range of its bytes or bits.")
                        .since("2.6.0").complexity("O(N)").syntax("key [start end [BYTE | BIT]]")
                        .history("7.0.0", "The `BYTE|BIT` option.").build(),
                command("bitpos", -3, "readonly", BitRanges::bitpos)
                        .keys(firstArgument("RO access"))
                        .summary("Finds the first set or clear bit of a string, or of a range of its bytes or"
                                + " bits.")
                        .since("2.8.7").complexity("O(N)").syntax("key bit [start [end [BYTE | BIT]]]")
                        .history("7.0.0", "The `BYTE|BIT` option.").build(),
                command("bitop", -4, "write denyoom", BitOp::bitop)
                        .keys(KeySpec.range("OW update", 2, 0, 1))
                        .keys(KeySpec.range("RO access", 3, -1, 1))
                        .summary("Stores the bitwise AND, OR, XOR or NOT of strings under a key; replies the"
                                + " result's length.")
                        .since("2.6.0").complexity("O(N)").syntax("operation destkey key [key ...]").build(),
                command("bitfield", -2, "write denyoom", BitField::bitfield)
                        .keys(firstArgument("RW access update variable_flags")
                                .withNotes("This command allows both access and modification of the key"))
                        .summary("Reads, writes and increments integers of any width up to 64 bits at any bit"
                                + " offset of a string.")
                        .since("3.2.0").complexity("O(1) for each subcommand specified")
                        .syntax("key [" + BITFIELD_OPERATION + " [" + BITFIELD_OPERATION + " ...]]")
                        .build(),
                command("bitfield_ro", -2, "readonly fast", BitField::bitfieldRo)
                        .keys(firstArgument("RO access"))
                        .summary("Reads integers of any width up to 64 bits at any bit offset of a string:"
                                + " BITFIELD's GET alone.")
                        .since("6.0.0").complexity("O(1) for each subcommand specified")
                        .syntax("key [GET encoding offset [GET encoding offset ...]]").build());
    }

    private static Command.Builder command(String name, int arity, String flags, CommandHandler handler) {
        return Command.builder(name).arity(arity).flags(flags).acl("@bitmap").group("bitmap").handler(handler);
    }
}
