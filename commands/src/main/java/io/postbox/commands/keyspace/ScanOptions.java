package io.postbox.commands.keyspace;

import io.postbox.commands.Ascii;
import io.postbox.commands.Errors;
import io.postbox.commands.Glob;
import io.postbox.commands.Invocation;
import io.postbox.commands.Numbers;

/**
 * The options of the SCAN family after the cursor: {@code MATCH pattern}, {@code COUNT count} (at
 * least 1, default 10) and, for SCAN only, {@code TYPE type}; later occurrences win.
 *
 * @param pattern the MATCH pattern, or null to match everything
 * @param type    the TYPE name, or null for every type
 */
public record ScanOptions(byte[] pattern, long count, byte[] type) {

    private static final long DEFAULT_COUNT = 10;

    /** Parses the options from argument {@code first} on; {@code typeAllowed} for SCAN itself. */
    public static ScanOptions parse(Invocation call, int first, boolean typeAllowed) {
        byte[] pattern = null;
        long count = DEFAULT_COUNT;
        byte[] type = null;
        int i = first;
        while (i < call.argc()) {
            boolean hasValue = i + 1 < call.argc();
            if (call.argIs(i, "count") && hasValue) {
                count = Numbers.parseLong(call.arg(i + 1));
                if (count < 1) {
                    throw Errors.SYNTAX;
                }
            } else if (call.argIs(i, "match") && hasValue) {
                byte[] match = call.arg(i + 1);
                pattern = match.length == 1 && match[0] == '*' ? null : match;
            } else if (typeAllowed && call.argIs(i, "type") && hasValue) {
                type = call.arg(i + 1);
            } else {
                throw Errors.SYNTAX;
            }
            i += 2;
        }
        return new ScanOptions(pattern, count, type);
    }

    public boolean matches(byte[] element) {
        return pattern == null || Glob.matches(pattern, element, false);
    }

    /** Whether a value's type passes the TYPE filter; {@code typeName} is "none" for a missing key. */
    public boolean typeMatches(String typeName) {
        return type == null || Ascii.equalsIgnoreCase(type, typeName);
    }

    /** How many buckets one call may visit: ten per wanted element, so a sparse table cannot stall it. */
    public long maxSteps() {
        return count > Long.MAX_VALUE / 10 ? Long.MAX_VALUE : count * 10;
    }
}
