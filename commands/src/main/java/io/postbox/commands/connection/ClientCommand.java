package io.postbox.commands.connection;

import io.postbox.commands.Client;
import io.postbox.commands.Client.ReplyMode;
import io.postbox.commands.Command;
import io.postbox.commands.Errors;
import io.postbox.commands.Help;
import io.postbox.commands.Invocation;
import io.postbox.commands.Numbers;
import io.postbox.commands.connection.ClientPause.Mode;
import io.postbox.commands.connection.ClientPause.Purpose;
import io.postbox.resp.ErrorReply;

/**
 * CLIENT and its subcommands: the connection's identity (ID, SETNAME, GETNAME, SETINFO, INFO), the
 * other connections (LIST, KILL, UNBLOCK), replies (REPLY, NO-EVICT), server-wide pauses (PAUSE,
 * UNPAUSE), and client-side caching (TRACKING, CACHING, GETREDIR, TRACKINGINFO: {@link ClientTracking}).
 *
 * <p>SETINFO is Redis 7.2's, absent from 7.0: Jedis and redis-py send it while connecting and would
 * log the unknown-subcommand error.
 */
final class ClientCommand {

    private static final String OWN = "noscript loading stale";
    private static final String ADMIN = "admin noscript loading stale";
    /** One filter of CLIENT KILL's new form, written as Redis's argument tree has it (each one optional). */
    private static final String KILL_FILTER = "<[ID client-id] | [TYPE <NORMAL | MASTER | SLAVE | REPLICA | PUBSUB>]"
            + " | [USER username] | [ADDR ip:port] | [LADDR ip:port] | [SKIPME yes/no]>";
    private static final ErrorReply BAD_TIMEOUT = Errors.err("timeout is not an integer or out of range");
    private static final ErrorReply UNBLOCKED = new ErrorReply("UNBLOCKED client unblocked via CLIENT UNBLOCK");

    private ClientCommand() {
    }

    static Command command() {
        return Command.builder("client").arity(-2).group("connection")
                .summary("Inspects and controls client connections; see its subcommands.").since("2.4.0")
                .complexity("Depends on subcommand.")
                .subcommand(sub("id", 2, OWN).summary("Returns the connection's unique id.").since("5.0.0")
                        .complexity("O(1)").handler(call -> call.reply().integer(call.client().id())))
                .subcommand(sub("setname", 3, OWN).summary("Names the connection.").since("2.6.9")
                        .complexity("O(1)").syntax("connection-name").handler(ClientCommand::setName))
                .subcommand(sub("getname", 2, OWN).summary("Returns the connection's name.").since("2.6.9")
                        .complexity("O(1)").handler(ClientCommand::getName))
                .subcommand(sub("setinfo", 4, OWN).summary("Records the client library's name or version.")
                        .since("7.2.0").complexity("O(1)").syntax("<LIB-NAME libname | LIB-VER libver>")
                        .handler(ClientCommand::setInfo))
                .subcommand(sub("info", 2, OWN).summary("Describes the connection in one CLIENT LIST line.")
                        .since("6.2.0").complexity("O(1)").tips("nondeterministic_output")
                        .handler(ClientList::info))
                .subcommand(sub("list", -2, ADMIN).summary("Describes the connected clients, one line each.")
                        .since("2.4.0").complexity("O(N), N being the number of connected clients")
                        .syntax("[TYPE <NORMAL | MASTER | REPLICA | PUBSUB>] [ID client-id [client-id ...]]")
                        .tips("nondeterministic_output")
                        .history("2.8.12", "Lines start with the client's unique id.")
                        .history("5.0.0", "TYPE filter.")
                        .history("6.0.0", "user field.")
                        .history("6.2.0", "argv-mem, tot-mem, laddr and redir fields; ID filter.")
                        .history("7.0.0", "resp, multi-mem, rbs and rbp fields.")
                        .history("7.0.3", "ssub field.")
                        .handler(ClientList::list))
                .subcommand(sub("kill", -3, ADMIN).summary("Closes the connections that match the filters.")
                        .since("2.4.0").complexity("O(N), N being the number of connected clients")
                        .syntax("<ip:port | " + KILL_FILTER + " [" + KILL_FILTER + " ...]>")
                        .history("2.8.12", "Filters, and the ID filter.")
                        .history("3.2.0", "TYPE master.")
                        .history("5.0.0", "TYPE replica; slave remains accepted.")
                        .history("6.2.0", "LADDR filter.")
                        .handler(ClientKill::execute))
                .subcommand(sub("unblock", -3, ADMIN).summary("Ends another client's blocking command early.")
                        .since("5.0.0").complexity("O(log N), N being the number of connected clients")
                        .syntax("client-id [TIMEOUT | ERROR]").handler(ClientCommand::unblock))
                .subcommand(sub("pause", -3, ADMIN).summary("Holds back all commands, or those that may write, "
                                + "for a number of milliseconds.")
                        .since("2.9.50").complexity("O(1)").syntax("timeout [WRITE | ALL]")
                        .history("6.2.0", "WRITE mode.")
                        .handler(ClientCommand::pause))
                .subcommand(sub("unpause", 2, ADMIN).summary("Ends a CLIENT PAUSE early.").since("6.2.0")
                        .complexity("O(N), N being the number of paused clients")
                        .handler(ClientCommand::unpause))
                .subcommand(sub("reply", 3, OWN).summary("Turns the replies to this connection's commands off "
                                + "or on, or skips the next one.")
                        .since("3.2.0").complexity("O(1)").syntax("<ON | OFF | SKIP>")
                        .handler(ClientCommand::reply))
                .subcommand(sub("no-evict", 3, ADMIN).summary("Exempts the connection from client eviction, "
                                + "or not.")
                        .since("7.0.0").complexity("O(1)").syntax("<ON | OFF>").handler(ClientCommand::noEvict))
                .subcommand(sub("tracking", -3, OWN).summary("Turns server-assisted client-side caching on "
                                + "or off for the connection.")
                        .since("6.0.0").complexity("O(1). Some options may introduce additional complexity.")
                        .syntax("<ON | OFF> [REDIRECT client-id] [PREFIX prefix [PREFIX prefix ...]] [BCAST] [OPTIN]"
                                + " [OPTOUT] [NOLOOP]")
                        .handler(ClientTracking::tracking))
                .subcommand(sub("getredir", 2, OWN).summary("Returns the id of the client that gets this "
                                + "connection's invalidations: 0 for itself, -1 when tracking is off.")
                        .since("6.0.0").complexity("O(1)").handler(ClientTracking::getRedirect))
                .subcommand(sub("trackinginfo", 2, OWN).summary("Describes the connection's key tracking.")
                        .since("6.2.0").complexity("O(1)").handler(ClientTracking::trackingInfo))
                .subcommand(sub("caching", 3, OWN).summary("Tracks, or not, the keys of the next command "
                                + "under OPTIN or OPTOUT tracking.")
                        .since("6.0.0").complexity("O(1)").syntax("<YES | NO>")
                        .handler(ClientTracking::caching))
                .subcommand(sub("help", 2, "loading stale").summary("Lists the CLIENT subcommands.")
                        .since("5.0.0").complexity("O(1)").handler(ClientCommand::help))
                .build();
    }

    private static Command.Builder sub(String name, int arity, String flags) {
        return Command.builder(name).arity(arity).flags(flags).acl("@connection").group("connection");
    }

    static void setName(Invocation call) {
        ClientNames.setName(call.client(), call.arg(2));
        call.reply().ok();
    }

    static void getName(Invocation call) {
        String name = call.client().name();
        if (name.isEmpty()) {
            call.reply().nullBulk();
        } else {
            call.reply().bulk(name);
        }
    }

    /** CLIENT SETINFO LIB-NAME|LIB-VER value, as Redis 7.2 checks it. */
    static void setInfo(Invocation call) {
        boolean libName = OptionWords.is(call, 2, "lib-name");
        if (!libName && !OptionWords.is(call, 2, "lib-ver")) {
            throw Errors.err("Unrecognized option '" + OptionWords.text(call.arg(2)) + "'");
        }
        if (!ClientNames.valid(call.arg(3))) {
            throw Errors.err(OptionWords.text(call.arg(2)) + " cannot contain spaces, newlines or special characters.");
        }
        if (libName) {
            call.client().libName(call.argString(3));
        } else {
            call.client().libVersion(call.argString(3));
        }
        call.reply().ok();
    }

    /**
     * CLIENT UNBLOCK id [TIMEOUT|ERROR]: 1 if that client was in a blocking command and is now out of
     * it, else 0. A client held back by CLIENT PAUSE is not in a blocking command (Redis 7.0.15 crashes
     * on that case; later versions answer 0, as here).
     */
    static void unblock(Invocation call) {
        if (call.argc() > 4) {
            throw Help.subcommandSyntaxError(call);
        }
        boolean error = false;
        if (call.argc() == 4) {
            if (OptionWords.is(call, 3, "error")) {
                error = true;
            } else if (!OptionWords.is(call, 3, "timeout")) {
                throw Errors.err("CLIENT UNBLOCK reason should be TIMEOUT or ERROR");
            }
        }
        Client target = call.engine().clients().get(Numbers.parseLong(call.arg(2)));
        if (target == null || target.blockedOn() == null) {
            call.reply().integer(0);
            return;
        }
        if (error) {
            target.blockedOn().fail(UNBLOCKED);
            // Redis counts a call failed if any error reply went out during it, here the unblocked client's.
            call.engine().stats().of(call.command()).failedCalls++;
        } else {
            target.blockedOn().timeOut();
        }
        call.reply().integer(1);
    }

    /**
     * CLIENT PAUSE timeout [WRITE|ALL]: the mode is checked before the timeout, as in Redis. A timeout
     * so large that the deadline overflows ends the pause at once, as Redis's arithmetic does.
     */
    static void pause(Invocation call) {
        if (call.argc() > 4) {
            throw Help.subcommandSyntaxError(call);
        }
        Mode mode = Mode.ALL;
        if (call.argc() == 4) {
            if (OptionWords.is(call, 3, "write")) {
                mode = Mode.WRITE;
            } else if (!OptionWords.is(call, 3, "all")) {
                throw Errors.err("CLIENT PAUSE mode must be WRITE or ALL");
            }
        }
        long timeout = Numbers.parseLong(call.arg(2), BAD_TIMEOUT);
        if (timeout < 0) {
            throw Errors.err("timeout is negative");
        }
        call.engine().pause().pause(Purpose.CLIENT_COMMAND, call.now() + timeout, mode);
        call.reply().ok();
    }

    static void unpause(Invocation call) {
        call.engine().pause().unpause(Purpose.CLIENT_COMMAND);
        call.reply().ok();
    }

    /**
     * CLIENT REPLY ON|OFF|SKIP. OFF and SKIP have no reply of their own (they are already in effect
     * for it); SKIP is ignored while replies are off. The connection applies SKIP to the next command.
     */
    static void reply(Invocation call) {
        Client client = call.client();
        if (OptionWords.is(call, 2, "on")) {
            client.replyMode(ReplyMode.ON);
            client.skipNextReply(false);
            call.reply().ok();
        } else if (OptionWords.is(call, 2, "off")) {
            client.replyMode(ReplyMode.OFF);
        } else if (OptionWords.is(call, 2, "skip")) {
            if (client.replyMode() != ReplyMode.OFF) {
                client.skipNextReply(true);
            }
        } else {
            throw Errors.SYNTAX;
        }
    }

    static void noEvict(Invocation call) {
        if (OptionWords.is(call, 2, "on")) {
            call.client().noEvict(true);
        } else if (OptionWords.is(call, 2, "off")) {
            call.client().noEvict(false);
        } else {
            throw Errors.SYNTAX;
        }
        call.reply().ok();
    }

    static void help(Invocation call) {
        Help.reply(call,
                "ID",
                "    The connection's id.",
                "SETNAME <name>",
                "    Name the connection; an empty name removes it.",
                "GETNAME",
                "    The connection's name, or null.",
                "SETINFO <LIB-NAME|LIB-VER> <value>",
                "    Record the client library's name or version.",
                "INFO",
                "    This connection, in the format of one CLIENT LIST line.",
                "LIST [TYPE (NORMAL|MASTER|REPLICA|PUBSUB)] [ID <id> [<id> ...]]",
                "    One line per connected client, optionally only of a type or with given ids.",
                "KILL <ip:port>",
                "    Close the connection from that address.",
                "KILL <filter> <value> [<filter> <value> ...]",
                "    Close every connection that matches all filters; replies how many. Filters:",
                "    * ID <id>, ADDR <ip:port>, LADDR <ip:port>, USER <username>",
                "    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)",
                "    * SKIPME (YES|NO): spare this connection (yes unless told otherwise).",
                "UNBLOCK <id> [TIMEOUT|ERROR]",
                "    End that client's blocking command, as its timeout would or with an error.",
                "PAUSE <milliseconds> [WRITE|ALL]",
                "    Hold back every command (ALL, the default), or those that may write, for a while.",
                "UNPAUSE",
                "    End a pause now.",
                "REPLY (ON|OFF|SKIP)",
                "    Turn replies to this connection off or back on, or skip the next one.",
                "NO-EVICT (ON|OFF)",
                "    Exempt this connection from client eviction, or not.",
                "TRACKING (ON|OFF) [REDIRECT <id>] [BCAST] [PREFIX <prefix> [...]] [OPTIN] [OPTOUT] [NOLOOP]",
                "    Be told when keys this connection read change, so it can cache them.",
                "GETREDIR",
                "    The client that gets this connection's invalidations: 0 itself, -1 tracking is off.",
                "TRACKINGINFO",
                "    This connection's tracking: its flags, redirection and prefixes.",
                "CACHING (YES|NO)",
                "    Under OPTIN (YES) or OPTOUT (NO): whether the next command's keys are tracked.");
    }
}
