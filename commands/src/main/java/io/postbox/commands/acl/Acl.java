package io.postbox.commands.acl;

import io.postbox.commands.Command;
import io.postbox.commands.CommandTable;
import io.postbox.commands.config.Config;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;

/**
 * The users, as Redis 7's ACL keeps them: {@code default}, which every connection starts as, and
 * those that ACL SETUSER, {@code user} lines of the config file or the ACL file add. Users are kept
 * in name order, the order ACL LIST and ACL USERS show.
 */
public final class Acl {

    public static final String DEFAULT_USER = "default";
    private static final List<String> INITIAL_DEFAULT_RULES = List.of("+@all", "~*", "&*", "on", "nopass");

    private final CommandBits commands;
    /** {@code acl-pubsub-default}: whether a new or reset selector allows every channel. */
    private final BooleanSupplier allChannelsByDefault;
    private final TreeMap<String, AclUser> users = new TreeMap<>();
    private final AclUser defaultUser;
    private final AclLog log;

    public Acl(CommandTable table, Config config) {
        this.commands = new CommandBits(table);
        this.allChannelsByDefault = () -> config.getString("acl-pubsub-default").equals("allchannels");
        this.log = new AclLog(() -> config.getLong("acllog-max-len"));
        this.defaultUser = newUser(DEFAULT_USER);
        INITIAL_DEFAULT_RULES.forEach(rule -> defaultUser.apply(rule, false));
        users.put(DEFAULT_USER, defaultUser);
    }

    public AclLog log() {
        return log;
    }

    public AclUser defaultUser() {
        return defaultUser;
    }

    /** The user called {@code name}, or null. */
    public AclUser user(String name) {
        return users.get(name);
    }

    public AclUser user(byte[] name) {
        return user(new String(name, StandardCharsets.ISO_8859_1));
    }

    /** Every user, in name order. */
    public Collection<AclUser> users() {
        return users.values();
    }

    /**
     * ACL SETUSER: creates the user if it does not exist, then applies the rules, all or none. A
     * selector may span several rules, from the one starting with '(' to the one ending with ')'.
     *
     * @return the user, changed in place if it existed
     * @throws AclRuleError with Redis's message if a rule cannot be applied
     */
    public AclUser setUser(String name, List<String> rules) {
        List<String> merged = mergeSelectors(rules);
        AclUser existing = users.get(name);
        AclUser staged = existing != null ? existing.copy() : newUser(name);
        for (String rule : merged) {
            try {
                staged.apply(rule, allChannelsByDefault.getAsBoolean());
            } catch (AclRuleError e) {
                throw AclRuleError.inSetUser(rule, e);
            }
        }
        if (existing == null) {
            users.put(name, staged);
            return staged;
        }
        existing.copyFrom(staged);
        return existing;
    }

    /**
     * A {@code user} line of the config file, applied as Redis loads it at startup: to a new user, or
     * to the default user after a reset.
     *
     * @throws AclRuleError with the reason if a rule cannot be applied
     */
    public void define(String name, List<String> rules) {
        AclUser user = users.get(name);
        if (user == null) {
            user = newUser(name);
            users.put(name, user);
        } else {
            user.apply("reset", allChannelsByDefault.getAsBoolean());
        }
        for (String rule : mergeSelectors(rules)) {
            user.apply(rule, allChannelsByDefault.getAsBoolean());
        }
    }

    /** A rule that cannot be applied: its index among the rules (a selector counting as one), and why. */
    public record RuleFailure(int index, String rule, String reason) {
    }

    /**
     * The first rule of a new user's definition that cannot be applied, or null. With
     * {@code skipUnknown}, rules naming an unknown command or category pass, as Redis's check of a
     * config file's {@code user} line lets them (the load then fails on them).
     */
    public RuleFailure firstFailure(List<String> rules, boolean skipUnknown) {
        List<String> merged;
        try {
            merged = mergeSelectors(rules);
        } catch (AclRuleError e) {
            return new RuleFailure(0, rules.get(0), e.reason());
        }
        AclUser user = newUser("");
        for (int i = 0; i < merged.size(); i++) {
            try {
                user.apply(merged.get(i), allChannelsByDefault.getAsBoolean());
            } catch (AclRuleError e) {
                if (!skipUnknown || e != AclRuleError.UNKNOWN_NAME) {
                    return new RuleFailure(i, merged.get(i), e.reason());
                }
            }
        }
        return null;
    }

    /**
     * The errors an ACL file line defining {@code name} would give, in Redis's words: every rule
     * naming an unknown command or category, and the first other error; empty if the line is good.
     */
    List<String> validate(String name, List<String> rules) {
        List<String> merged;
        try {
            merged = mergeSelectors(rules);
        } catch (AclRuleError e) {
            return List.of("Unmatched parenthesis in selector definition");
        }
        AclUser user = newUser(name);
        List<String> errors = new ArrayList<>();
        boolean syntaxError = false;
        for (String rule : merged) {
            try {
                user.apply(rule, allChannelsByDefault.getAsBoolean());
            } catch (AclRuleError e) {
                if (e == AclRuleError.UNKNOWN_NAME) {
                    errors.add("Error in applying operation '" + rule + "': " + e.reason());
                } else if (!syntaxError) {
                    errors.add(e.reason());
                    syntaxError = true;
                }
            }
        }
        return errors;
    }

    /**
     * Replaces every user with {@code definitions} (validated rules by name), as ACL LOAD does. The
     * default user object stays, with the file's rules or, if the file has none for it, its initial
     * ones. Returns the users that were replaced, whose clients must be disconnected.
     */
    List<AclUser> replaceAll(Map<String, List<String>> definitions) {
        List<AclUser> replaced = new ArrayList<>(users.values());
        replaced.remove(defaultUser);
        users.clear();
        AclUser newDefault = newUser(DEFAULT_USER);
        for (String rule : definitions.getOrDefault(DEFAULT_USER, INITIAL_DEFAULT_RULES)) {
            newDefault.apply(rule, allChannelsByDefault.getAsBoolean());
        }
        defaultUser.copyFrom(newDefault);
        users.put(DEFAULT_USER, defaultUser);
        definitions.forEach((name, rules) -> {
            if (!name.equals(DEFAULT_USER)) {
                AclUser user = newUser(name);
                mergeSelectors(rules).forEach(rule -> user.apply(rule, allChannelsByDefault.getAsBoolean()));
                users.put(name, user);
            }
        });
        return replaced;
    }

    /** Removes a user other than {@code default}; returns it, or null if there was none. */
    public AclUser remove(String name) {
        if (name.equals(DEFAULT_USER)) {
            throw new IllegalArgumentException("the default user cannot be removed");
        }
        return users.remove(name);
    }

    /** The user {@code name} if it is on and {@code password} is one of its passwords (or it needs none). */
    public AclUser authenticate(byte[] name, byte[] password) {
        AclUser user = user(name);
        return user != null && user.enabled() && user.acceptsPassword(password) ? user : null;
    }

    /** Records in ACL LOG that {@code user} was refused {@code args}. */
    public void record(AclDenial denial, AclLog.Context context, Command command, byte[][] args, AclUser user,
                       String clientInfo) {
        log.add(denial.reason(), context, denial.object(command, args), user.name(), System.currentTimeMillis(),
                clientInfo);
    }

    /** Records in ACL LOG a failed login as {@code name}; the object is the command as the client typed it. */
    public void recordFailedLogin(String name, String command, AclLog.Context context, String clientInfo) {
        log.add(AclDenial.Reason.AUTH, context, command, name, System.currentTimeMillis(), clientInfo);
    }

    /** {@code requirepass}: the default user's only password, or none needed when empty. */
    public void requirePass(String password) {
        defaultUser.apply("resetpass", false);
        defaultUser.apply(password.isEmpty() ? "nopass" : ">" + password, false);
    }

    /** Every user as a {@code user <name> <rules>} line: ACL LIST, ACL SAVE and CONFIG REWRITE write them. */
    public List<String> describeUsers() {
        return users.values().stream().map(user -> "user " + user.name() + " " + user.describe()).toList();
    }

    /** Whether {@code name} could not be written in an ACL file: white space or NUL bytes. */
    public static boolean invalidName(String name) {
        return AclSelector.hasSpaces(name);
    }

    /** Every command and subcommand, for ACL CAT. */
    public List<Command> commands() {
        return commands.all();
    }

    private AclUser newUser(String name) {
        return new AclUser(name, commands, allChannelsByDefault.getAsBoolean());
    }

    /** Joins the words of a selector split over several arguments, such as {@code (+get}, {@code ~x)}. */
    private static List<String> mergeSelectors(List<String> rules) {
        List<String> merged = new ArrayList<>();
        StringBuilder selector = null;
        String opening = null;
        for (String rule : rules) {
            if (rule.startsWith("(") && !rule.endsWith(")")) {
                selector = new StringBuilder(rule);
                opening = rule;
            } else if (selector != null) {
                selector.append(' ').append(rule);
                if (rule.endsWith(")")) {
                    merged.add(selector.toString());
                    selector = null;
                }
            } else {
                merged.add(rule);
            }
        }
        if (selector != null) {
            throw AclRuleError.unmatchedParenthesis(opening);
        }
        return merged;
    }
}
