package io.postbox.commands.acl;

import io.postbox.commands.Command;
import java.nio.charset.StandardCharsets;

/**
 * Why a user may not run a command: the reason, and the argument it concerns (the denied key or
 * channel; 0 for the command itself). Reasons are in Redis's order of relevance: when no selector
 * allows a command, the latest reason, then the latest argument, is the one reported.
 */
public record AclDenial(Reason reason, int position) {

    public enum Reason {
        COMMAND("command"), KEY("key"), AUTH("auth"), CHANNEL("channel");

        private final String logName;

        Reason(String logName) {
            this.logName = logName;
        }

        /** The reason as ACL LOG names it. */
        public String logName() {
            return logName;
        }
    }

    /** The error a client gets for a command it may not run. */
    public String topLevelError(Command command) {
        return switch (reason) {
            case COMMAND -> "NOPERM this user has no permissions to run the '" + command.fullName() + "' command";
            case KEY -> "NOPERM this user has no permissions to access one of the keys used as arguments";
            default -> "NOPERM this user has no permissions to access one of the channels used as arguments";
        };
    }

    /** The error of a script's call that its user may not make (Redis's script form adds "ERR"). */
    public String scriptError() {
        return "The user executing the script " + switch (reason) {
            case COMMAND -> "can't run this command or subcommand";
            case KEY -> "can't access at least one of the keys mentioned in the command arguments";
            default -> "can't publish to the channel mentioned in the command";
        };
    }

    /** The reply, within EXEC's, of a queued command that the user's rules no longer allow. */
    public String execError() {
        return "NOPERM ACLs rules changed between the moment the transaction was accumulated and the EXEC call. "
                + "This command is no longer allowed for the following reason: " + switch (reason) {
                    case COMMAND -> "no permission to execute the command or subcommand";
                    case KEY -> "no permission to touch the specified keys";
                    default -> "no permission to access one of the channels used as arguments";
                };
    }

    /** ACL DRYRUN's answer; {@code args} is the command line. */
    public String dryRunAnswer(Command command, byte[][] args) {
        return switch (reason) {
            case COMMAND -> "This user has no permissions to run the '" + command.fullName() + "' command";
            case KEY -> "This user has no permissions to access the '" + text(args[position]) + "' key";
            default -> "This user has no permissions to access the '" + text(args[position]) + "' channel";
        };
    }

    /** What ACL LOG records as the object: the command's name, or the key or channel. */
    public String object(Command command, byte[][] args) {
        return reason == Reason.COMMAND ? command.fullName() : text(args[position]);
    }

    private static String text(byte[] arg) {
        return new String(arg, StandardCharsets.ISO_8859_1);
    }

    /** Whether this denial is more relevant than {@code other}, as Redis picks among its selectors' denials. */
    boolean outranks(AclDenial other) {
        int order = reason.compareTo(other.reason);
        return order > 0 || (order == 0 && position > other.position);
    }
}
