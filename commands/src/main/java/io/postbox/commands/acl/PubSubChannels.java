package io.postbox.commands.acl;

import io.postbox.commands.Command;

/**
 * The arguments of a command that are pub/sub channels an ACL checks, as Redis's channel table has
 * them: what is published to and what is subscribed to (leaving is always allowed).
 */
record PubSubChannels(int first, boolean toEnd, boolean patterns) {

    private static final PubSubChannels NONE = new PubSubChannels(0, false, false);
    private static final PubSubChannels SUBSCRIBED = new PubSubChannels(1, true, false);
    private static final PubSubChannels PATTERNS = new PubSubChannels(1, true, true);
    private static final PubSubChannels PUBLISHED = new PubSubChannels(1, false, false);

    static PubSubChannels of(Command command) {
        return switch (command.fullName()) {
            case "subscribe", "ssubscribe" -> SUBSCRIBED;
            case "psubscribe" -> PATTERNS;
            case "publish", "spublish" -> PUBLISHED;
            default -> NONE;
        };
    }

    /** The index after the last channel argument of {@code argc} arguments. */
    int end(int argc) {
        if (this == NONE) {
            return 0;
        }
        return toEnd ? argc : Math.min(first + 1, argc);
    }
}
