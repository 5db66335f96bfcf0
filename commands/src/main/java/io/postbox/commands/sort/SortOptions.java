package io.postbox.commands.sort;

import io.postbox.commands.Errors;
import io.postbox.commands.Invocation;
import io.postbox.commands.acl.AclUser;
import java.util.ArrayList;
import java.util.List;

/**
 * SORT's options after the key, in any order, later ones winning: {@code BY pattern},
 * {@code LIMIT offset count}, {@code GET pattern} (repeatable), {@code ASC | DESC}, {@code ALPHA} and,
 * for SORT but not SORT_RO, {@code STORE destination}.
 *
 * <p>A BY pattern without {@code *} means "do not sort", and that sticks even if a later BY has one, as
 * in Redis.
 *
 * @param by          the BY pattern, or null
 * @param dontSort    true if any BY pattern lacked a {@code *}
 * @param offset      LIMIT's offset (0 without LIMIT)
 * @param count       LIMIT's count (-1, everything, without LIMIT)
 * @param gets        the GET patterns, in order
 * @param descending  DESC
 * @param alpha       ALPHA: compare as strings, not numbers
 * @param destination STORE's key, or null
 */
record SortOptions(SortPattern by, boolean dontSort, long offset, long count, List<SortPattern> gets,
                   boolean descending, boolean alpha, byte[] destination) {

    static SortOptions parse(Invocation call, boolean readOnly) {
        SortPattern by = null;
        boolean dontSort = false;
        long offset = 0;
        long count = -1;
        List<SortPattern> gets = new ArrayList<>();
        boolean descending = false;
        boolean alpha = false;
        byte[] destination = null;
        for (int i = 2; i < call.argc(); i++) {
            int left = call.argc() - i - 1;
            if (call.argIs(i, "asc")) {
                descending = false;
            } else if (call.argIs(i, "desc")) {
                descending = true;
            } else if (call.argIs(i, "alpha")) {
                alpha = true;
            } else if (call.argIs(i, "limit") && left >= 2) {
                offset = call.longArg(i + 1);
                count = call.longArg(i + 2);
                i += 2;
            } else if (!readOnly && call.argIs(i, "store") && left >= 1) {
                destination = call.arg(++i);
            } else if (call.argIs(i, "by") && left >= 1) {
                by = new SortPattern(call.arg(++i));
                dontSort |= !by.substitutes();
                if (by.substitutes() && !readsAnyKey(call)) {
                    throw Errors.err("BY option of SORT denied due to insufficient ACL permissions.");
                }
            } else if (call.argIs(i, "get") && left >= 1) {
                if (!readsAnyKey(call)) {
                    throw Errors.err("GET option of SORT denied due to insufficient ACL permissions.");
                }
                gets.add(new SortPattern(call.arg(++i)));
            } else {
                throw Errors.SYNTAX;
            }
        }
        return new SortOptions(by, dontSort, offset, count, gets, descending, alpha, destination);
    }

    /** Whether the user may read any key: BY and GET patterns name keys that no ACL check sees. */
    private static boolean readsAnyKey(Invocation call) {
        AclUser user = call.client().user();
        return user == null || user.readsAnyKey(call.command(), call.args());
    }

    /** A copy that sorts alphabetically by the elements themselves. */
    SortOptions sortedAlphabetically() {
        return new SortOptions(null, false, offset, count, gets, descending, true, destination);
    }
}
