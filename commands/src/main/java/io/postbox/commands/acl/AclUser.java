package io.postbox.commands.acl;

import io.postbox.commands.Command;
import io.postbox.commands.config.ConfigSyntax;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

/**
 * A user, as Redis 7's ACL has it: on or off, its passwords (kept as SHA-256 hashes) or nopass, and
 * its selectors, the first of which is the root one that plain rules change. Clients hold on to
 * their user, so ACL SETUSER changes it in place ({@link #copyFrom}) and the new rules apply to them
 * at once.
 */
public final class AclUser {

    private static final HexFormat HEX = HexFormat.of();

    private final String name;
    private final CommandBits commands;
    private boolean enabled;
    private boolean nopass;
    /** skip-sanitize-payload or sanitize-payload; neither until one is given (or reset). */
    private String payloadFlag;
    private final List<String> passwords = new ArrayList<>();
    private final List<AclSelector> selectors = new ArrayList<>();

    AclUser(String name, CommandBits commands, boolean allChannels) {
        this.name = name;
        this.commands = commands;
        selectors.add(new AclSelector(commands, allChannels));
    }

    public String name() {
        return name;
    }

    public boolean enabled() {
        return enabled;
    }

    public boolean nopass() {
        return nopass;
    }

    /** A copy to stage rules on, so that a failing rule changes nothing. */
    AclUser copy() {
        AclUser copy = new AclUser(name, commands, false);
        copy.copyFrom(this);
        return copy;
    }

    void copyFrom(AclUser other) {
        enabled = other.enabled;
        nopass = other.nopass;
        payloadFlag = other.payloadFlag;
        passwords.clear();
        passwords.addAll(other.passwords);
        selectors.clear();
        other.selectors.forEach(selector -> selectors.add(selector.copy()));
    }

    /**
     * Applies one rule. {@code allChannels} is what {@code acl-pubsub-default} gives a selector made
     * by this rule or a reset.
     */
    void apply(String op, boolean allChannels) {
        if (op.isEmpty()) {
            return;
        }
        if (op.equalsIgnoreCase("on") || op.equalsIgnoreCase("off")) {
            enabled = op.equalsIgnoreCase("on");
        } else if (op.equalsIgnoreCase("skip-sanitize-payload") || op.equalsIgnoreCase("sanitize-payload")) {
            payloadFlag = op.toLowerCase(Locale.ROOT);
        } else if (op.equalsIgnoreCase("nopass")) {
            nopass = true;
            passwords.clear();
        } else if (op.equalsIgnoreCase("resetpass")) {
            nopass = false;
            passwords.clear();
        } else if (op.startsWith(">") || op.startsWith("#")) {
            String hash = op.startsWith(">") ? hash(op.substring(1)) : checkedHash(op.substring(1));
            if (!passwords.contains(hash)) {
                passwords.add(hash);
            }
            nopass = false;
        } else if (op.startsWith("<") || op.startsWith("!")) {
            String hash = op.startsWith("<") ? hash(op.substring(1)) : checkedHash(op.substring(1));
            if (!passwords.remove(hash)) {
                throw AclRuleError.NO_SUCH_PASSWORD;
            }
        } else if (op.startsWith("(") && op.endsWith(")")) {
            AclSelector selector = new AclSelector(commands, allChannels);
            // Split as sdssplitargs splits: unbalanced quotes give no words, so an empty selector.
            List<String> rules = ConfigSyntax.words(op.substring(1, op.length() - 1));
            for (String rule : rules == null ? List.<String>of() : rules) {
                selector.apply(rule);
            }
            selectors.add(selector);
        } else if (op.equalsIgnoreCase("clearselectors")) {
            selectors.subList(1, selectors.size()).clear();
        } else if (op.equalsIgnoreCase("reset")) {
            nopass = false;
            passwords.clear();
            selectors.clear();
            selectors.add(new AclSelector(commands, allChannels));
            enabled = false;
            payloadFlag = "sanitize-payload";
        } else {
            selectors.get(0).apply(op);
        }
    }

    /** Whether {@code password} is one of the user's; the comparison takes the same time for any guess. */
    boolean acceptsPassword(byte[] password) {
        if (nopass) {
            return true;
        }
        byte[] hashed = hash(password).getBytes(StandardCharsets.US_ASCII);
        boolean match = false;
        for (String candidate : passwords) {
            match |= MessageDigest.isEqual(candidate.getBytes(StandardCharsets.US_ASCII), hashed);
        }
        return match;
    }

    /** Why the user may not run {@code args}, or null if one of its selectors allows it. */
    public AclDenial check(Command command, byte[][] args) {
        AclDenial relevant = null;
        for (int i = 0; i < selectors.size(); i++) {
            AclDenial denial = selectors.get(i).check(command, args);
            if (denial == null) {
                return null;
            }
            if (relevant == null || denial.outranks(relevant)) {
                relevant = denial;
            }
        }
        return relevant;
    }

    /** Whether a selector that allows {@code args} also lets it read any key: all keys, or a {@code *} pattern. */
    public boolean readsAnyKey(Command command, byte[][] args) {
        return selectors.stream().anyMatch(selector -> selector.check(command, args) == null
                && selector.readsAnyKey());
    }

    /** Whether the user may use {@code channel} (a pattern is compared literally), in any selector. */
    public boolean mayUseChannel(String channel, boolean isPattern) {
        return selectors.stream().anyMatch(selector -> selector.channelAllowed(channel, isPattern));
    }

    /** Whether any selector allows every channel. */
    boolean allowsAllChannels() {
        return selectors.stream().anyMatch(AclSelector::allowsAllChannels);
    }

    /** The flags as ACL GETUSER lists them, in Redis's order. */
    List<String> flags() {
        List<String> flags = new ArrayList<>();
        flags.add(enabled ? "on" : "off");
        if (nopass) {
            flags.add("nopass");
        }
        if (payloadFlag != null) {
            flags.add(payloadFlag);
        }
        return flags;
    }

    List<String> passwordHashes() {
        return passwords;
    }

    AclSelector rootSelector() {
        return selectors.get(0);
    }

    List<AclSelector> extraSelectors() {
        return selectors.subList(1, selectors.size());
    }

    /** The user's rules in ACL LIST's and the ACL file's form, without the {@code user <name>} prefix. */
    String describe() {
        StringBuilder text = new StringBuilder(String.join(" ", flags())).append(' ');
        passwords.forEach(hash -> text.append('#').append(hash).append(' '));
        text.append(rootSelector().describe());
        extraSelectors().forEach(selector -> text.append(" (").append(selector.describe()).append(')'));
        return text.toString();
    }

    static String hash(String password) {
        return hash(password.getBytes(StandardCharsets.ISO_8859_1));
    }

    private static String hash(byte[] password) {
        try {
            return HEX.formatHex(MessageDigest.getInstance("SHA-256").digest(password));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    private static String checkedHash(String hash) {
        if (hash.length() != 64 || !hash.chars().allMatch(c -> (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
            throw AclRuleError.BAD_HASH;
        }
        return hash;
    }
}
