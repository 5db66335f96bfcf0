package io.postbox.commands.connection;

import io.postbox.commands.Client;
import io.postbox.commands.Command;
import io.postbox.commands.Engine;
import io.postbox.commands.Errors;
import io.postbox.commands.Invocation;
import io.postbox.commands.Numbers;
import io.postbox.commands.acl.Acl;
import io.postbox.commands.acl.AclLog;
import io.postbox.commands.acl.AclUser;
import io.postbox.resp.ErrorReply;
import io.postbox.resp.Reply;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The commands that set up or tear down a connection's session: HELLO, AUTH, QUIT, RESET. All may run
 * before authentication ({@code no_auth}).
 */
final class SessionCommands {

    private static final String FLAGS = "noscript loading stale fast no_auth allow_busy";
    private static final ErrorReply BAD_PROTOCOL =
            Errors.err("Protocol version is not an integer or out of range");
    private static final ErrorReply NOPROTO = new ErrorReply("NOPROTO unsupported protocol version");
    private static final ErrorReply HELLO_NOAUTH = new ErrorReply("NOAUTH HELLO must be called with the client "
            + "already authenticated, otherwise the HELLO AUTH <user> <pass> option can be used to "
            + "authenticate the client and select the RESP protocol version at the same time");
    private static final ErrorReply WRONGPASS =
            new ErrorReply("WRONGPASS invalid username-password pair or user is disabled.");
    private static final byte[] DEFAULT_USER = Acl.DEFAULT_USER.getBytes(StandardCharsets.US_ASCII);
    private static final ErrorReply AUTH_WITHOUT_PASSWORD = Errors.err("AUTH <password> called without any "
            + "password configured for the default user. Are you sure your configuration is correct?");

    private SessionCommands() {
    }

    static List<Command> commands() {
        return List.of(
                Command.builder("hello").arity(-1).flags(FLAGS).acl("@connection").group("connection")
                        .summary("Negotiates the protocol version, optionally logging in and naming the "
                                + "connection, and describes the server.")
                        .since("6.0.0").complexity("O(1)")
                        .syntax("[protover [AUTH username password] [SETNAME clientname]]")
                        .history("6.2.0", "The protocol version became optional; without it the reply "
                                + "describes the current connection.")
                        .handler(SessionCommands::hello).build(),
                Command.builder("auth").arity(-2).flags(FLAGS).acl("@connection").group("connection")
                        .summary("Logs the connection in as a user.").since("1.0.0")
                        .complexity("O(N), N being the number of passwords the user has")
                        .syntax("[username] password")
                        .history("6.0.0", "Accepts a username before the password.")
                        .handler(SessionCommands::auth).build(),
                Command.builder("quit").arity(-1).flags(FLAGS).acl("@connection").group("connection")
                        .summary("Closes the connection once the replies so far are sent.").since("1.0.0")
                        .complexity("O(1)")
                        .handler(SessionCommands::quit).build(),
                Command.builder("reset").arity(1).flags(FLAGS).acl("@connection").group("connection")
                        .summary("Returns the connection to the state of a new one.").since("6.2.0")
                        .complexity("O(1)")
                        .handler(SessionCommands::reset).build());
    }

    /**
     * HELLO [protover [AUTH user pass] [SETNAME name]], in Redis's order: the version and the options
     * are checked first; then AUTH logs in (and stays logged in even if the rest fails); then the name
     * is set, even for a client that turns out not to be authenticated; then the protocol switches.
     */
    static void hello(Invocation call) {
        long version = 0;
        if (call.argc() >= 2) {
            version = Numbers.parseLong(call.arg(1), BAD_PROTOCOL);
            if (version < 2 || version > 3) {
                throw NOPROTO;
            }
        }
        byte[] user = null;
        byte[] password = null;
        byte[] name = null;
        for (int i = 2; i < call.argc(); i++) {
            int more = call.argc() - 1 - i;
            if (OptionWords.is(call, i, "auth") && more >= 2) {
                user = call.arg(i + 1);
                password = call.arg(i + 2);
                call.redact(i + 1);
                call.redact(i + 2);
                i += 2;
            } else if (OptionWords.is(call, i, "setname") && more >= 1) {
                name = call.arg(i + 1);
                i++;
            } else {
                throw Errors.err("Syntax error in HELLO option '" + OptionWords.text(call.arg(i)) + "'");
            }
        }
        Client client = call.client();
        if (user != null) {
            logIn(call, user, password);
        }
        if (name != null) {
            ClientNames.setName(client, name);
        }
        if (!client.authenticated()) {
            throw HELLO_NOAUTH;
        }
        if (version != 0) {
            client.protocol((int) version);
        }
        Reply reply = call.reply();
        reply.map(7);
        reply.bulk("server");
        reply.bulk("redis");
        reply.bulk("version");
        reply.bulk(Engine.REDIS_VERSION);
        reply.bulk("proto");
        reply.integer(client.protocol());
        reply.bulk("id");
        reply.integer(client.id());
        reply.bulk("mode");
        reply.bulk("standalone");
        reply.bulk("role");
        reply.bulk("master");
        reply.bulk("modules");
        reply.array(0);
    }

    /** AUTH [username] password; the one-argument form needs a password to be configured. */
    static void auth(Invocation call) {
        if (call.argc() > 3) {
            throw Errors.SYNTAX;
        }
        for (int i = 1; i < call.argc(); i++) {
            call.redact(i);
        }
        byte[] user;
        byte[] password;
        if (call.argc() == 2) {
            if (!call.engine().passwordSet()) {
                throw AUTH_WITHOUT_PASSWORD;
            }
            user = DEFAULT_USER;
            password = call.arg(1);
        } else {
            user = call.arg(1);
            password = call.arg(2);
        }
        logIn(call, user, password);
        call.reply().ok();
    }

    /**
     * A failed attempt leaves the client as it was (logged in if it already was) and is recorded in
     * ACL LOG under the name tried, with the command's name as typed.
     */
    private static void logIn(Invocation call, byte[] name, byte[] password) {
        Engine engine = call.engine();
        Client client = call.client();
        AclUser user = engine.acl().authenticate(name, password);
        if (user == null) {
            engine.acl().recordFailedLogin(new String(name, StandardCharsets.ISO_8859_1), OptionWords.text(call.arg(0)),
                    AclLog.Context.of(client), ClientInfo.line(client, engine));
            throw WRONGPASS;
        }
        client.user(user);
        client.authenticated(true);
    }

    static void quit(Invocation call) {
        call.reply().ok();
        call.client().closeAfterReply();
    }

    /**
     * RESET: no MONITOR, database 0, RESP2, logged out when a password is set, no transaction or
     * watched keys, no subscriptions (ended without a word), no name, replies on. A reply being
     * skipped by CLIENT REPLY SKIP stays skipped, as in Redis; OFF does not survive.
     */
    static void reset(Invocation call) {
        Client client = call.client();
        call.engine().releaseSession(client);
        client.database(call.engine().database(0));
        client.protocol(2);
        client.user(call.engine().acl().defaultUser());
        client.authenticated(!call.engine().loginRequired());
        client.name("");
        if (client.replyMode() == Client.ReplyMode.OFF) {
            client.replyMode(Client.ReplyMode.ON);
        }
        client.skipNextReply(false);
        call.reply().simple("RESET");
    }
}
