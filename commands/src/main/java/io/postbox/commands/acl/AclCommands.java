package io.postbox.commands.acl;

import io.postbox.commands.AclCategory;
import io.postbox.commands.Client;
import io.postbox.commands.Command;
import io.postbox.commands.CommandGroup;
import io.postbox.commands.Errors;
import io.postbox.commands.Help;
import io.postbox.commands.Invocation;
import io.postbox.commands.Numbers;
import io.postbox.commands.admin.LogLevel;
import io.postbox.commands.pubsub.Subscriptions;
import io.postbox.resp.ErrorReply;
import io.postbox.resp.Reply;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/**
 * ACL and its subcommands: users (SETUSER, GETUSER, DELUSER, USERS, LIST, WHOAMI), what they may do
 * (CAT, DRYRUN), refusals (LOG), passwords (GENPASS) and the ACL file (LOAD, SAVE).
 */
public final class AclCommands implements CommandGroup {

    private static final String ADMIN = "admin noscript loading stale";
    private static final String OWN = "noscript loading stale";
    private static final int GENPASS_MAX_BITS = 4096;
    private static final SecureRandom RANDOM = new SecureRandom();

    @Override
    public List<Command> commands() {
        return List.of(Command.builder("acl").arity(-2).group("server")
                .summary("Manages users and what they may do; see its subcommands.").since("6.0.0")
                .complexity("Depends on subcommand.")
                .subcommand(sub("cat", -2, OWN).summary("Lists the ACL categories, or the commands in one.")
                        .since("6.0.0").complexity("O(1) since the categories and commands are a fixed set.")
                        .syntax("[categoryname]").handler(AclCommands::cat))
                .subcommand(sub("deluser", -3, ADMIN).summary("Deletes users and disconnects their clients.")
                        .since("6.0.0").complexity("O(1) amortized time considering the typical user.")
                        .syntax("username [username ...]").handler(AclCommands::delUser))
                .subcommand(sub("dryrun", -4, ADMIN).summary("Tells whether a user may run a command, "
                                + "without running it.")
                        .since("7.0.0").complexity("O(1).").syntax("username command [arg [arg ...]]")
                        .handler(AclCommands::dryRun))
                .subcommand(sub("genpass", -2, OWN).summary("Generates a random password.").since("6.0.0")
                        .complexity("O(1)").syntax("[bits]").handler(AclCommands::genPass))
                .subcommand(sub("getuser", 3, ADMIN).summary("Describes a user's flags, passwords and "
                                + "permissions.")
                        .since("6.0.0")
                        .complexity("O(N). Where N is the number of password, command and pattern rules that "
                                + "the user has.")
                        .syntax("username")
                        .history("6.2.0", "Added Pub/Sub channel patterns.")
                        .history("7.0.0", "Added selectors and changed the format of key and channel patterns "
                                + "from a list to their rule representation.")
                        .handler(AclCommands::getUser))
                .subcommand(sub("help", 2, "loading stale").summary("Lists the ACL subcommands.").since("6.0.0")
                        .complexity("O(1)").handler(AclCommands::help))
                .subcommand(sub("list", 2, ADMIN).summary("Lists the users in the ACL file's form.")
                        .since("6.0.0").complexity("O(N). Where N is the number of configured users.")
                        .handler(AclCommands::list))
                .subcommand(sub("load", 2, ADMIN).summary("Reloads the users from the ACL file.").since("6.0.0")
                        .complexity("O(N). Where N is the number of configured users.").handler(AclCommands::load))
                .subcommand(sub("log", -2, ADMIN).summary("Lists the latest refusals of the ACL rules, or "
                                + "clears them.")
                        .since("6.0.0").complexity("O(N) with N being the number of entries shown.")
                        .syntax("[count | RESET]").handler(AclCommands::log))
                .subcommand(sub("save", 2, ADMIN).summary("Writes the users to the ACL file.").since("6.0.0")
                        .complexity("O(N). Where N is the number of configured users.").handler(AclCommands::save))
                .subcommand(sub("setuser", -3, ADMIN).summary("Creates a user or changes its rules.")
                        .since("6.0.0").complexity("O(N). Where N is the number of rules provided.")
                        .syntax("username [rule [rule ...]]")
                        .history("6.2.0", "Added Pub/Sub channel patterns.")
                        .history("7.0.0", "Added selectors and key based permissions.")
                        .handler(AclCommands::setUser))
                .subcommand(sub("users", 2, ADMIN).summary("Lists the users' names.").since("6.0.0")
                        .complexity("O(N). Where N is the number of configured users.")
                        .handler(AclCommands::users))
                .subcommand(sub("whoami", 2, OWN).summary("Returns the connection's user.").since("6.0.0")
                        .complexity("O(1)").handler(AclCommands::whoAmI))
                .build());
    }

    private static Command.Builder sub(String name, int arity, String flags) {
        return Command.builder(name).arity(arity).flags(flags).group("server");
    }

    /** ACL SETUSER name rule...: the slow log and MONITOR show no rule, as passwords may be among them. */
    private static void setUser(Invocation call) {
        for (int i = 2; i < call.argc(); i++) {
            call.redact(i);
        }
        String name = text(call.arg(2));
        if (Acl.invalidName(name)) {
            throw Errors.err("Usernames can't contain spaces or null characters");
        }
        List<String> rules = new ArrayList<>();
        for (int i = 3; i < call.argc(); i++) {
            rules.add(text(call.arg(i)));
        }
        AclUser user;
        try {
            user = call.engine().acl().setUser(name, rules);
        } catch (AclRuleError e) {
            throw Errors.err(e.reason());
        }
        disconnectSubscribersLosingChannels(call, user);
        call.reply().ok();
    }

    /** As Redis does, the user's clients subscribed to what its new rules deny are disconnected. */
    private static void disconnectSubscribersLosingChannels(Invocation call, AclUser user) {
        if (user.allowsAllChannels()) {
            return;
        }
        for (Client client : List.copyOf(call.engine().clients().all())) {
            Subscriptions subscriptions = client.subscriptions();
            if (client.user() == user && subscriptions != null && !subscriptions.allAllowed(user::mayUseChannel)) {
                close(call, client);
            }
        }
    }

    private static void close(Invocation call, Client client) {
        if (client == call.client()) {
            client.closeAfterReply();
        } else {
            client.close();
        }
    }

    /**
     * ACL DELUSER: the clients logged in as a deleted user are disconnected (the caller after its
     * reply); {@code default} cannot be deleted, and naming it deletes nothing.
     */
    private static void delUser(Invocation call) {
        for (int i = 2; i < call.argc(); i++) {
            if (text(call.arg(i)).equals(Acl.DEFAULT_USER)) {
                throw Errors.err("The 'default' user cannot be removed");
            }
        }
        int deleted = 0;
        for (int i = 2; i < call.argc(); i++) {
            AclUser user = call.engine().acl().remove(text(call.arg(i)));
            if (user != null) {
                deleted++;
                disconnect(call, user);
            }
        }
        call.reply().integer(deleted);
    }

    private static void disconnect(Invocation call, AclUser user) {
        for (Client client : List.copyOf(call.engine().clients().all())) {
            if (client.user() != user) {
                continue;
            }
            client.user(call.engine().acl().defaultUser());
            client.authenticated(false);
            close(call, client);
        }
    }

    /** ACL GETUSER: flags, passwords and the root selector's rules, then the other selectors, each as a map. */
    private static void getUser(Invocation call) {
        AclUser user = call.engine().acl().user(call.arg(2));
        Reply reply = call.reply();
        if (user == null) {
            reply.nullBulk();
            return;
        }
        reply.map(6);
        reply.bulk("flags");
        List<String> flags = user.flags();
        reply.set(flags.size());
        flags.forEach(reply::bulk);
        reply.bulk("passwords");
        reply.array(user.passwordHashes().size());
        user.passwordHashes().forEach(reply::bulk);
        writeSelector(reply, user.rootSelector());
        reply.bulk("selectors");
        reply.array(user.extraSelectors().size());
        for (AclSelector selector : user.extraSelectors()) {
            reply.map(3);
            writeSelector(reply, selector);
        }
    }

    private static void writeSelector(Reply reply, AclSelector selector) {
        reply.bulk("commands");
        reply.bulk(selector.commandRules());
        reply.bulk("keys");
        reply.bulk(selector.keysDescription());
        reply.bulk("channels");
        reply.bulk(selector.channelsDescription());
    }

    private static void list(Invocation call) {
        List<String> lines = call.engine().acl().describeUsers();
        call.reply().array(lines.size());
        lines.forEach(call.reply()::bulk);
    }

    private static void users(Invocation call) {
        Reply reply = call.reply();
        reply.array(call.engine().acl().users().size());
        call.engine().acl().users().forEach(user -> reply.bulk(user.name()));
    }

    private static void whoAmI(Invocation call) {
        AclUser user = call.client().user();
        if (user == null) {
            call.reply().nullBulk();
        } else {
            call.reply().bulk(user.name());
        }
    }

    /** ACL CAT: the categories in Redis's order, or every command and subcommand of one. */
    private static void cat(Invocation call) {
        if (call.argc() > 3) {
            throw Help.subcommandSyntaxError(call);
        }
        Reply reply = call.reply();
        if (call.argc() == 2) {
            reply.array(AclCategory.values().length);
            for (AclCategory category : AclCategory.values()) {
                reply.bulk(category.wireName().substring(1));
            }
            return;
        }
        AclCategory category = AclCategory.named(call.argString(2));
        if (category == null) {
            throw Errors.err("Unknown category '" + truncated(call.argString(2)) + "'");
        }
        List<Command> members = call.engine().acl().commands().stream()
                .filter(command -> command.aclCategories().contains(category)).toList();
        reply.array(members.size());
        members.forEach(command -> reply.bulk(command.fullName()));
    }

    /** ACL GENPASS [bits]: that many random bits (256 by default), in hex, rounded up to a whole digit. */
    private static void genPass(Invocation call) {
        if (call.argc() > 3) {
            throw Help.subcommandSyntaxError(call);
        }
        long bits = call.argc() == 3 ? call.longArg(2) : 256;
        if (bits <= 0 || bits > GENPASS_MAX_BITS) {
            throw Errors.err("ACL GENPASS argument must be the number of bits for the output password, a positive "
                    + "number up to " + GENPASS_MAX_BITS);
        }
        byte[] random = new byte[(int) (bits + 7) / 8];
        RANDOM.nextBytes(random);
        call.reply().bulk(HexFormat.of().formatHex(random).substring(0, (int) (bits + 3) / 4));
    }

    /** ACL LOG [count | RESET]: the newest entries first, ten unless told. */
    private static void log(Invocation call) {
        if (call.argc() > 3) {
            throw Help.subcommandSyntaxError(call);
        }
        AclLog log = call.engine().acl().log();
        if (call.argc() == 3 && call.argIs(2, "reset")) {
            log.reset();
            call.reply().ok();
            return;
        }
        long count = call.argc() == 3 ? Numbers.parseLong(call.arg(2)) : 10;
        List<AclLog.Entry> entries = log.newest(count);
        long now = System.currentTimeMillis();
        Reply reply = call.reply();
        reply.array(entries.size());
        for (AclLog.Entry entry : entries) {
            reply.map(7);
            reply.bulk("count");
            reply.integer(entry.count());
            reply.bulk("reason");
            reply.bulk(entry.reason());
            reply.bulk("context");
            reply.bulk(entry.context());
            reply.bulk("object");
            reply.bulk(entry.object());
            reply.bulk("username");
            reply.bulk(entry.username());
            reply.bulk("age-seconds");
            reply.doubleValue((now - entry.millis()) / 1000.0);
            reply.bulk("client-info");
            reply.bulk(entry.clientInfo());
        }
    }

    /** ACL DRYRUN user command [arg ...]: OK, or why not as a bulk string. */
    private static void dryRun(Invocation call) {
        AclUser user = call.engine().acl().user(call.arg(2));
        if (user == null) {
            throw Errors.err("User '" + text(call.arg(2)) + "' not found");
        }
        byte[][] line = Arrays.copyOfRange(call.args(), 3, call.argc());
        Command command = call.engine().commands().lookupCall(line);
        if (command == null) {
            throw Errors.err("Command '" + text(line[0]) + "' not found");
        }
        if (!command.arityAccepts(line.length)) {
            throw Errors.err("wrong number of arguments for '" + command.fullName() + "' command");
        }
        AclDenial denial = user.check(command, line);
        if (denial == null) {
            call.reply().ok();
        } else {
            call.reply().bulk(denial.dryRunAnswer(command, line));
        }
    }

    private static void load(Invocation call) {
        List<AclUser> replaced;
        try {
            replaced = file(call).load(call.engine().acl());
        } catch (AclRuleError e) {
            throw Errors.err(e.reason());
        }
        replaced.forEach(user -> disconnect(call, user));
        call.reply().ok();
    }

    private static void save(Invocation call) {
        if (!file(call).save(call.engine().acl())) {
            throw Errors.err("There was an error trying to save the ACLs. Please check the server logs for more "
                    + "information");
        }
        call.reply().ok();
    }

    private static AclFile file(Invocation call) {
        if (call.engine().config().getString("aclfile").isEmpty()) {
            throw NO_FILE;
        }
        return new AclFile(call.engine().config(),
                warning -> call.engine().process().log(LogLevel.WARNING, warning));
    }

    private static final ErrorReply NO_FILE = Errors.err("This Redis instance is not configured to use an ACL "
            + "file. You may want to specify users via the ACL SETUSER command and then issue a CONFIG REWRITE "
            + "(assuming you have a Redis configuration file set) in order to store users in the Redis "
            + "configuration.");

    private static void help(Invocation call) {
        Help.reply(call,
                "CAT [<category>]",
                "    List the commands of <category>, or the categories.",
                "DELUSER <username> [<username> ...]",
                "    Delete users; their clients are disconnected.",
                "DRYRUN <username> <command> [<arg> ...]",
                "    Whether the user may run the command, without running it.",
                "GETUSER <username>",
                "    The user's flags, passwords and permissions.",
                "GENPASS [<bits>]",
                "    A random password of 256 bits, or of <bits>.",
                "LIST",
                "    The users, in the ACL file's form.",
                "LOAD",
                "    Reload the users from the ACL file.",
                "LOG [<count> | RESET]",
                "    The latest refusals, or clear them.",
                "SAVE",
                "    Write the users to the ACL file.",
                "SETUSER <username> <attribute> [<attribute> ...]",
                "    Create a user or change its rules.",
                "USERS",
                "    The users' names.",
                "WHOAMI",
                "    The connection's user.");
    }

    private static String text(byte[] arg) {
        return new String(arg, StandardCharsets.ISO_8859_1);
    }

    /** Redis prints at most 128 bytes of an unknown category's name. */
    private static String truncated(String name) {
        return name.length() > 128 ? name.substring(0, 128) : name;
    }
}
