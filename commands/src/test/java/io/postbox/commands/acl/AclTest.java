package io.postbox.commands.acl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.postbox.commands.Command;
import io.postbox.commands.CommandTable;
import io.postbox.commands.Commands;
import io.postbox.commands.config.Config;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Users, their rules and what the rules allow, over the real command table. */
class AclTest {

    private static final CommandTable TABLE = table();

    private final Acl acl = new Acl(TABLE, new Config());

    private static CommandTable table() {
        List<Command> all = new ArrayList<>();
        Commands.groups().forEach(group -> all.addAll(group.commands()));
        return new CommandTable(all);
    }

    @Test
    void theDefaultUserMayDoAnythingAndANewUserNothing() {
        assertEquals("on nopass ~* &* +@all", acl.defaultUser().describe());
        AclUser bob = acl.setUser("bob", List.of());
        assertEquals("off resetchannels -@all", bob.describe());
        assertEquals(AclDenial.Reason.COMMAND, denial(bob, "get", "k").reason());
        assertNull(denial(bob, "auth", "x"), "commands that need no login are never denied");
    }

    @Test
    void describedRulesRebuildTheSameCommandsWhateverTheRules() {
        List<List<String>> cases = List.of(
                List.of("+@all", "-@dangerous"),
                List.of("-@all", "+@read", "-@slow"),
                List.of("-@all", "+@hash", "+@list", "-@write"),
                List.of("+@all", "-@write", "+set"),
                List.of("-@all", "+@list", "-lpush", "+client|list", "+select|0", "+select|1"),
                List.of("-@all", "+client", "-client|kill"),
                List.of("+@all", "-config|set", "-@scripting", "+eval"));
        for (List<String> rules : cases) {
            AclUser user = acl.setUser("u", rules);
            String described = user.rootSelector().commandRules();
            AclUser rebuilt = acl.setUser("rebuilt", List.of(described.split(" ")));
            for (Command command : TABLE.originalsWithSubcommands()) {
                if (command.isContainer()) {
                    continue;
                }
                byte[][] args = command.container() == null
                        ? line(command.name(), "0") : line(command.container().name(), command.name());
                assertEquals(denial(user, args) == null, denial(rebuilt, args) == null,
                        rules + " described as " + described + ": " + command.fullName());
            }
            assertEquals(described, rebuilt.rootSelector().commandRules(), rules.toString());
        }
    }

    @Test
    void categoriesThatFitBestComeFirstThenSingleCommands() {
        assertEquals("+@all -@dangerous", acl.setUser("a", List.of("+@all", "-@dangerous"))
                .rootSelector().commandRules());
        assertEquals("-@all +@read +@write -pfdebug", acl.setUser("b", List.of("-@all", "+@read", "+@write",
                "-@admin")).rootSelector().commandRules());
        assertEquals("-@all +select|0", acl.setUser("c", List.of("-@all", "+select|0")).rootSelector().commandRules());
    }

    @Test
    void keyPatternsAllowReadingWritingOrBothAsTheKeySpecsSay() {
        AclUser user = acl.setUser("keys", List.of("on", "+@all", "%R~r:*", "%W~w:*", "~rw:*"));
        assertNull(denial(user, "get", "r:1"));
        assertEquals(new AclDenial(AclDenial.Reason.KEY, 1), denial(user, "set", "r:1", "v"));
        assertNull(denial(user, "set", "w:1", "v"), "SET without GET only overwrites");
        assertEquals(new AclDenial(AclDenial.Reason.KEY, 1), denial(user, "set", "w:1", "v", "GET"));
        assertEquals(new AclDenial(AclDenial.Reason.KEY, 1), denial(user, "get", "w:1"));
        assertNull(denial(user, "lmove", "rw:1", "w:1", "LEFT", "RIGHT"));
        assertEquals(new AclDenial(AclDenial.Reason.KEY, 1), denial(user, "lmove", "w:1", "rw:1", "LEFT", "RIGHT"),
                "the source is read and written");
        assertEquals(new AclDenial(AclDenial.Reason.KEY, 2), denial(user, "mget", "r:1", "other"));
        assertEquals("%R~r:* %W~w:* ~rw:*", user.rootSelector().keysDescription());
    }

    @Test
    void channelsMatchAsGlobsButPatternSubscriptionsOnlyLiterally() {
        AclUser user = acl.setUser("subscriber", List.of("on", "+@all", "&jobs:*"));
        assertNull(denial(user, "publish", "jobs:1", "m"));
        assertEquals(new AclDenial(AclDenial.Reason.CHANNEL, 1), denial(user, "publish", "other", "m"));
        assertEquals(new AclDenial(AclDenial.Reason.CHANNEL, 2), denial(user, "subscribe", "jobs:a", "other"));
        assertNull(denial(user, "psubscribe", "jobs:*"));
        assertEquals(new AclDenial(AclDenial.Reason.CHANNEL, 1), denial(user, "psubscribe", "jobs:a*"));
        assertNull(denial(user, "unsubscribe", "other"), "leaving is always allowed");
        assertTrue(user.mayUseChannel("jobs:9", false));
    }

    @Test
    void anySelectorMayAllowACommandAndTheMostRelevantDenialIsReported() {
        AclUser user = acl.setUser("selectors", List.of("on", "+get", "~a", "(+set", "~b)"));
        assertNull(denial(user, "get", "a"));
        assertNull(denial(user, "set", "b", "v"));
        assertEquals(new AclDenial(AclDenial.Reason.KEY, 1), denial(user, "get", "b"),
                "a key denial outranks a command denial");
        assertEquals("on ~a resetchannels -@all +get (~b resetchannels -@all +set)", user.describe());
    }

    @Test
    void firstArgumentsAllowPartOfADeniedCommand() {
        AclUser user = acl.setUser("db0", List.of("on", "allkeys", "-@all", "+select|0"));
        assertNull(denial(user, "select", "0"));
        assertEquals(AclDenial.Reason.COMMAND, denial(user, "select", "1").reason());
        acl.setUser("db0", List.of("+select"));
        assertEquals("-@all +select", user.rootSelector().commandRules(), "allowing the command drops its first args");
    }

    @Test
    void aRuleThatFailsChangesNothing() {
        AclUser user = acl.setUser("staged", List.of("on", ">pw", "+get"));
        AclRuleError error = assertThrows(AclRuleError.class,
                () -> acl.setUser("staged", List.of("+set", "+nosuch")));
        assertEquals("Error in ACL SETUSER modifier '+nosuch': Unknown command or category name in ACL",
                error.reason());
        assertEquals(AclDenial.Reason.COMMAND, denial(user, "set", "k", "v").reason());
        assertThrows(AclRuleError.class, () -> acl.setUser("never", List.of("foo")));
        assertNull(acl.user("never"));
        assertEquals("Unmatched parenthesis in acl selector starting at '(+get'.",
                assertThrows(AclRuleError.class, () -> acl.setUser("x", List.of("(+get", "~a"))).reason());
    }

    @Test
    void passwordsAreKeptAsHashesAndChecked() {
        acl.setUser("pw", List.of("on", ">secret", "#" + AclUser.hash("other")));
        assertNotNull(acl.authenticate(bytes("pw"), bytes("secret")));
        assertNotNull(acl.authenticate(bytes("pw"), bytes("other")));
        assertNull(acl.authenticate(bytes("pw"), bytes("wrong")));
        acl.setUser("pw", List.of("<secret"));
        assertNull(acl.authenticate(bytes("pw"), bytes("secret")));
        acl.setUser("pw", List.of("off"));
        assertNull(acl.authenticate(bytes("pw"), bytes("other")), "a user that is off cannot log in");
        assertEquals("The password hash must be exactly 64 characters and contain only lowercase hexadecimal "
                + "characters", assertThrows(AclRuleError.class, () -> acl.setUser("pw", List.of("#ab"))).reason()
                .replaceFirst("^.*': ", ""));
    }

    @Test
    void requirepassIsTheDefaultUsersOnlyPassword() {
        acl.requirePass("s3cret");
        assertNull(acl.authenticate(bytes("default"), bytes("x")));
        assertSame(acl.defaultUser(), acl.authenticate(bytes("default"), bytes("s3cret")));
        acl.requirePass("");
        assertTrue(acl.defaultUser().nopass());
    }

    @Test
    void aFileLineIsCheckedForEveryUnknownNameAndItsFirstOtherError() {
        assertEquals(List.of("Error in applying operation '+nosuch': Unknown command or category name in ACL",
                        "Syntax error",
                        "Error in applying operation '+@none': Unknown command or category name in ACL"),
                acl.validate("x", List.of("+nosuch", "foo", "bar", "+@none")));
        assertEquals(List.of(), acl.validate("x", List.of("on", ">pw", "~*", "+@all")));
    }

    @Test
    void theLogGroupsARepeatedRefusalAndKeepsTheNewestFirst() {
        long[] max = {3};
        AclLog log = new AclLog(() -> max[0]);
        log.add(AclDenial.Reason.COMMAND, AclLog.Context.TOPLEVEL, "get", "bob", 1_000, "first");
        log.add(AclDenial.Reason.KEY, AclLog.Context.TOPLEVEL, "k", "bob", 2_000, "x");
        log.add(AclDenial.Reason.COMMAND, AclLog.Context.TOPLEVEL, "get", "bob", 3_000, "again");
        List<AclLog.Entry> entries = log.newest(10);
        assertEquals(2, entries.size());
        assertEquals(2, entries.get(0).count());
        assertEquals("again", entries.get(0).clientInfo());
        log.add(AclDenial.Reason.COMMAND, AclLog.Context.TOPLEVEL, "get", "bob", 70_000, "later");
        assertEquals(3, log.newest(10).size(), "more than a minute after the entry's last refusal: a new entry");
        log.add(AclDenial.Reason.AUTH, AclLog.Context.MULTI, "auth", "eve", 71_000, "y");
        assertEquals(3, log.newest(10).size(), "at most acllog-max-len entries");
        assertEquals("auth", log.newest(1).get(0).reason());
        assertEquals("multi", log.newest(1).get(0).context());
    }

    private AclDenial denial(AclUser user, String... words) {
        return denial(user, line(words));
    }

    private AclDenial denial(AclUser user, byte[][] args) {
        Command command = TABLE.lookup(args[0]);
        if (command.isContainer()) {
            command = command.subcommands().get(new String(args[1], StandardCharsets.ISO_8859_1));
        }
        return user.check(command, args);
    }

    private static byte[][] line(String... words) {
        return Arrays.stream(words).map(AclTest::bytes).toArray(byte[][]::new);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }
}
