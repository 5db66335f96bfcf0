package io.postbox.commands.strings;

import io.postbox.commands.Command;
import io.postbox.commands.CommandGroup;
import io.postbox.commands.Invocation;
import io.postbox.commands.KeySpec;
import java.util.List;

/** String commands: values that are plain byte strings, counters and locks. */
public final class StringCommands implements CommandGroup {

    @Override
    public List<Command> commands() {
        return List.of(
                Command.builder("get").arity(2).flags("readonly fast").acl("@string").group("string")
                        .summary("Returns the string value of a key.").since("1.0.0").complexity("O(1)")
                        .keys(KeySpec.range("RO access", 1, 0, 1)).syntax("key")
                        .handler(StringCommands::get).build(),
                Command.builder("set").arity(-3).flags("write denyoom").acl("@string").group("string")
                        .summary("Sets the string value of a key, ignoring its type. The key is created if it doesn't exist.")
                        .since("1.0.0").complexity("O(1)")
                        .keys(KeySpec.range("RW access update variable_flags", 1, 0, 1)).syntax("key value")
                        .handler(StringCommands::set).build());
    }

    static void get(Invocation call) {
        byte[] value = call.db().get(call.arg(1), byte[].class);
        if (value == null) {
            call.reply().nullBulk();
        } else {
            call.reply().bulk(value);
        }
    }

    static void set(Invocation call) {
        call.db().set(call.arg(1), call.arg(2));
        call.reply().ok();
    }
}
