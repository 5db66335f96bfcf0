package io.postbox.commands;

import java.util.Locale;

/** The replies of container commands' HELP subcommands and their "wrong subcommand" error, as Redis words them. */
public final class Help {

    private Help() {
    }

    /**
     * {@code <CONTAINER> <subcommand> [<arg> [value] [opt] ...]. Subcommands are:}, then {@code lines},
     * then the HELP entry itself, each a simple string.
     */
    public static void reply(Invocation call, String... lines) {
        call.reply().array(lines.length + 3);
        call.reply().simple(call.argString(0).toUpperCase(Locale.ROOT)
                + " <subcommand> [<arg> [value] [opt] ...]. Subcommands are:");
        for (String line : lines) {
            call.reply().simple(line);
        }
        call.reply().simple("HELP");
        call.reply().simple("    Prints this help.");
    }

    /** For a subcommand called with arguments it does not take. */
    public static io.postbox.resp.ErrorReply subcommandSyntaxError(Invocation call) {
        String sub = call.argString(1);
        return Errors.err("unknown subcommand or wrong number of arguments for '"
                + (sub.length() > 128 ? sub.substring(0, 128) : sub) + "'. Try "
                + call.argString(0).toUpperCase(Locale.ROOT) + " HELP.");
    }
}
