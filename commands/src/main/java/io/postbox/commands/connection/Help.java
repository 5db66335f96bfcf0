package io.postbox.commands.connection;

import io.postbox.commands.Ascii;
import io.postbox.commands.Invocation;

/**
 * The reply of a container's HELP subcommand, in Redis's layout: a title line naming the command, the
 * given lines (a usage line, then its description indented by four spaces), and HELP itself last;
 * each line a simple string.
 */
final class Help {

    private Help() {
    }

    static void reply(Invocation call, String... lines) {
        String name = Ascii.toUpperCase(call.arg(0));
        call.reply().array(lines.length + 3);
        call.reply().simple(name + " <subcommand> [<arg> [value] [opt] ...]. Subcommands are:");
        for (String line : lines) {
            call.reply().simple(line);
        }
        call.reply().simple("HELP");
        call.reply().simple("    Print this help.");
    }
}
