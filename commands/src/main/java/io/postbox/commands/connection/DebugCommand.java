package io.postbox.commands.connection;

import io.postbox.commands.Client;
import io.postbox.commands.Client.ReplyMode;
import io.postbox.commands.Command;
import io.postbox.commands.Help;
import io.postbox.commands.Invocation;
import io.postbox.resp.ErrorReply;

/**
 * DEBUG, with the subcommands that make sense without Redis's internals: SLEEP, ERROR and HELP. As
 * in Redis it is protected: it runs only where {@code enable-debug-command} allows, {@code yes} for
 * every client or {@code local} for local ones.
 *
 * <p>DEBUG SLEEP stops the whole server, as in Redis, but without sleeping on the executor: it
 * freezes command processing through {@link ClientPause#sleep} and replies from a timer.
 */
final class DebugCommand {

    /** C's (long long) conversion of a double gives LLONG_MIN beyond this, and for NaN. */
    private static final double LONG_RANGE = 0x1p63;

    private DebugCommand() {
    }

    static Command command() {
        return Command.builder("debug").arity(-2).flags("admin noscript loading stale").group("server")
                .summary("Runs a debugging subcommand; DEBUG HELP lists them.").since("1.0.0")
                .complexity("Depends on subcommand.").docFlags("syscmd").protectedBy("enable-debug-command")
                .handler(DebugCommand::debug).build();
    }

    static void debug(Invocation call) {
        if (OptionWords.is(call, 1, "help") && call.argc() == 2) {
            Help.reply(call,
                    "SLEEP <seconds>",
                    "    Stop serving every client for that long (decimals allowed), then reply.",
                    "ERROR <text>",
                    "    Reply with <text> as an error, for testing clients.");
        } else if (OptionWords.is(call, 1, "sleep") && call.argc() == 3) {
            sleep(call);
        } else if (OptionWords.is(call, 1, "error") && call.argc() == 3) {
            throw new ErrorReply(call.argString(2));
        } else {
            throw Help.subcommandSyntaxError(call);
        }
    }

    /**
     * Seconds are read as C's strtod reads them (the longest numeric prefix, 0 if none), converted to
     * whole microseconds as Redis does; zero, negative, infinite or NaN durations do not sleep.
     */
    private static void sleep(Invocation call) {
        double seconds = CDouble.strtod(call.arg(2));
        double micros = seconds * 1_000_000;
        if (!(micros >= 1 && micros < LONG_RANGE)) {
            call.reply().ok();
            return;
        }
        long millis = Math.max(1, ((long) micros + 999) / 1000);
        Client client = call.client();
        // The reply is written when the sleep ends; whether it is suppressed is decided now.
        boolean silent = client.replyMode() != ReplyMode.ON;
        call.engine().pause().sleep(millis, () -> {
            if (!silent) {
                client.reply().ok();
            }
        });
    }
}
