package io.postbox.commands.connection;

import io.postbox.commands.Client;
import io.postbox.commands.Errors;
import io.postbox.commands.Invocation;
import io.postbox.commands.Numbers;
import io.postbox.commands.tracking.TrackingMode;
import io.postbox.resp.ErrorReply;
import io.postbox.resp.Reply;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The client-side caching subcommands of CLIENT: TRACKING, CACHING, GETREDIR and TRACKINGINFO, with
 * Redis 7.0's checks, in its order and with its texts. The tracking itself is the engine's
 * ({@link io.postbox.commands.tracking.KeyTracking}).
 */
final class ClientTracking {

    private static final ErrorReply NO_OPT_MODE = Errors.err("CLIENT CACHING can be called only when the "
            + "client is in tracking mode with OPTIN or OPTOUT mode enabled");
    private static final ErrorReply PREFIX_WITHOUT_BCAST =
            Errors.err("PREFIX option requires BCAST mode to be enabled");
    private static final ErrorReply BCAST_SWITCH = Errors.err("You can't switch BCAST mode on/off before disabling "
            + "tracking for this client, and then re-enabling it with a different mode.");
    private static final ErrorReply OPT_WITH_BCAST = Errors.err("OPTIN and OPTOUT are not compatible with BCAST");
    private static final ErrorReply OPT_BOTH = Errors.err("You can't specify both OPTIN mode and OPTOUT mode");
    private static final ErrorReply OPT_SWITCH = Errors.err("You can't switch OPTIN/OPTOUT mode before disabling "
            + "tracking for this client, and then re-enabling it with a different mode.");

    private ClientTracking() {
    }

    /**
     * CLIENT TRACKING ON|OFF [REDIRECT id] [PREFIX p ...] [BCAST] [OPTIN] [OPTOUT] [NOLOOP]. The options
     * are read first, for OFF as well; the redirection's client must exist now.
     *
     * <p>One departure from Redis 7.0.15: a prefix given twice, past the first, has Redis reply the
     * overlap error and then OK as well, two replies to one command; here only the error.
     */
    static void tracking(Invocation call) {
        long redirect = 0;
        boolean broadcast = false;
        boolean optIn = false;
        boolean optOut = false;
        boolean noLoop = false;
        List<byte[]> prefixes = new ArrayList<>();
        for (int i = 3; i < call.argc(); i++) {
            boolean more = i + 1 < call.argc();
            if (OptionWords.is(call, i, "redirect") && more) {
                if (redirect != 0) {
                    throw Errors.err("A client can only redirect to a single other client");
                }
                redirect = Numbers.parseLong(call.arg(++i));
                if (call.engine().clients().get(redirect) == null) {
                    throw Errors.err("The client ID you want redirect to does not exist");
                }
            } else if (OptionWords.is(call, i, "bcast")) {
                broadcast = true;
            } else if (OptionWords.is(call, i, "optin")) {
                optIn = true;
            } else if (OptionWords.is(call, i, "optout")) {
                optOut = true;
            } else if (OptionWords.is(call, i, "noloop")) {
                noLoop = true;
            } else if (OptionWords.is(call, i, "prefix") && more) {
                prefixes.add(call.arg(++i));
            } else {
                throw Errors.SYNTAX;
            }
        }
        Client client = call.client();
        if (OptionWords.is(call, 2, "off")) {
            call.engine().tracking().disable(client);
            call.reply().ok();
            return;
        }
        if (!OptionWords.is(call, 2, "on")) {
            throw Errors.SYNTAX;
        }
        TrackingMode mode = client.tracking();
        if (!broadcast && !prefixes.isEmpty()) {
            throw PREFIX_WITHOUT_BCAST;
        }
        if (mode != null && mode.broadcast() != broadcast) {
            throw BCAST_SWITCH;
        }
        if (broadcast && (optIn || optOut)) {
            throw OPT_WITH_BCAST;
        }
        if (optIn && optOut) {
            throw OPT_BOTH;
        }
        if (mode != null && ((optIn && mode.optOut()) || (optOut && mode.optIn()))) {
            throw OPT_SWITCH;
        }
        if (broadcast) {
            checkOverlaps(mode, prefixes);
        }
        call.engine().tracking().enable(client, redirect, broadcast, optIn, optOut, noLoop, prefixes);
        call.reply().ok();
    }

    /** Two prefixes of one client overlap if one starts the other: a key under both would be told twice. */
    private static void checkOverlaps(TrackingMode mode, List<byte[]> prefixes) {
        for (int i = 0; i < prefixes.size(); i++) {
            byte[] prefix = prefixes.get(i);
            if (mode != null) {
                for (String name : mode.prefixes()) {
                    byte[] existing = name.getBytes(StandardCharsets.ISO_8859_1);
                    if (overlap(existing, prefix)) {
                        throw Errors.err("Prefix '" + OptionWords.text(prefix) + "' overlaps with an existing prefix '"
                                + OptionWords.text(existing) + "'. Prefixes for a single client must not overlap.");
                    }
                }
            }
            for (int j = i + 1; j < prefixes.size(); j++) {
                if (overlap(prefix, prefixes.get(j))) {
                    throw Errors.err("Prefix '" + OptionWords.text(prefix) + "' overlaps with another provided prefix '"
                            + OptionWords.text(prefixes.get(j)) + "'. Prefixes for a single client must not overlap.");
                }
            }
        }
    }

    private static boolean overlap(byte[] a, byte[] b) {
        int length = Math.min(a.length, b.length);
        return Arrays.equals(a, 0, length, b, 0, length);
    }

    /** CLIENT CACHING YES|NO: whether the next command's keys are remembered, under OPTIN or OPTOUT. */
    static void caching(Invocation call) {
        TrackingMode mode = call.client().tracking();
        if (mode == null) {
            throw NO_OPT_MODE;
        }
        if (OptionWords.is(call, 2, "yes")) {
            if (!mode.optIn()) {
                throw Errors.err("CLIENT CACHING YES is only valid when tracking is enabled in OPTIN mode.");
            }
        } else if (OptionWords.is(call, 2, "no")) {
            if (!mode.optOut()) {
                throw Errors.err("CLIENT CACHING NO is only valid when tracking is enabled in OPTOUT mode.");
            }
        } else {
            throw Errors.SYNTAX;
        }
        mode.caching(true);
        call.reply().ok();
    }

    /** CLIENT GETREDIR: the redirection's client id, 0 for none, -1 when tracking is off. */
    static void getRedirect(Invocation call) {
        TrackingMode mode = call.client().tracking();
        call.reply().integer(mode == null ? -1 : mode.redirect());
    }

    /** CLIENT TRACKINGINFO: flags (a set), redirect and prefixes, in Redis's order. */
    static void trackingInfo(Invocation call) {
        TrackingMode mode = call.client().tracking();
        List<String> flags = new ArrayList<>();
        if (mode == null) {
            flags.add("off");
        } else {
            flags.add("on");
            if (mode.broadcast()) {
                flags.add("bcast");
            }
            if (mode.optIn()) {
                flags.add("optin");
                if (mode.caching()) {
                    flags.add("caching-yes");
                }
            }
            if (mode.optOut()) {
                flags.add("optout");
                if (mode.caching()) {
                    flags.add("caching-no");
                }
            }
            if (mode.noLoop()) {
                flags.add("noloop");
            }
            if (mode.brokenRedirect()) {
                flags.add("broken_redirect");
            }
        }
        Reply reply = call.reply();
        reply.map(3);
        reply.bulk("flags");
        reply.set(flags.size());
        flags.forEach(reply::bulk);
        reply.bulk("redirect");
        reply.integer(mode == null ? -1 : mode.redirect());
        reply.bulk("prefixes");
        List<String> prefixes = mode == null ? List.of() : List.copyOf(mode.prefixes());
        reply.array(prefixes.size());
        prefixes.forEach(reply::bulk);
    }
}
