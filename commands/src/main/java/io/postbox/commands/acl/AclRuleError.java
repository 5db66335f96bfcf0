package io.postbox.commands.acl;

/** An ACL rule that cannot be applied, with Redis's reason (ACL SETUSER adds which rule it was). */
public final class AclRuleError extends RuntimeException {

    static final AclRuleError UNKNOWN_NAME = new AclRuleError("Unknown command or category name in ACL");
    static final AclRuleError SYNTAX = new AclRuleError("Syntax error");
    static final AclRuleError PATTERN_AFTER_ALL_KEYS = new AclRuleError("Adding a pattern after the * pattern "
            + "(or the 'allkeys' flag) is not valid and does not have any effect. Try 'resetkeys' to start with an "
            + "empty list of patterns");
    static final AclRuleError PATTERN_AFTER_ALL_CHANNELS = new AclRuleError("Adding a pattern after the * "
            + "pattern (or the 'allchannels' flag) is not valid and does not have any effect. Try 'resetchannels' "
            + "to start with an empty list of channels");
    static final AclRuleError NO_SUCH_PASSWORD =
            new AclRuleError("The password you are trying to remove from the user does not exist");
    static final AclRuleError BAD_HASH = new AclRuleError("The password hash must be exactly 64 characters and "
            + "contain only lowercase hexadecimal characters");
    static final AclRuleError FIRST_ARG_OF_SUBCOMMAND =
            new AclRuleError("Allowing first-arg of a subcommand is not supported");

    AclRuleError(String reason) {
        super(reason, null, false, false);
    }

    /** ACL SETUSER's message for a rule that failed. */
    static AclRuleError inSetUser(String rule, AclRuleError error) {
        return new AclRuleError("Error in ACL SETUSER modifier '" + rule + "': " + error.reason());
    }

    static AclRuleError unmatchedParenthesis(String opening) {
        return new AclRuleError("Unmatched parenthesis in acl selector starting at '" + opening + "'.");
    }

    public String reason() {
        return getMessage();
    }
}
