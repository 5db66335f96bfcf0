package io.postbox.commands.strings;

import io.postbox.commands.Ascii;
import io.postbox.commands.Errors;
import java.util.Locale;

/**
 * The option words of SET ({@code NX | XX}, {@code GET}, {@code EX | PX | EXAT | PXAT | KEEPTTL}) and
 * of GETEX ({@code EX | PX | EXAT | PXAT | PERSIST}), parsed in one place with Redis's rules.
 *
 * <p>Options may come in any order. Repeating an option is allowed (a repeated expiry keeps the last
 * value); combining NX with XX, or two different ways of setting the time to live, is a syntax error,
 * as is an expiry word with no value after it or a word the command does not take. Words are matched
 * case-insensitively and, as Redis's strcasecmp does, only up to a NUL byte. The expiry value itself
 * is checked by the command through {@link #expiryMillis}, at the point where Redis checks it: SET
 * before it looks at the key, GETEX after.
 *
 * @param nx         set only if the key does not exist
 * @param xx         set only if the key exists
 * @param get        reply with the old value (SET ... GET)
 * @param keepTtl    keep the key's time to live (SET ... KEEPTTL)
 * @param persist    remove the key's time to live (GETEX ... PERSIST)
 * @param expiry     how {@code expiryArgument} sets the expiry, or null
 * @param expiryArgument the value after the expiry word, or null
 */
record ExtendedOptions(boolean nx, boolean xx, boolean get, boolean keepTtl, boolean persist,
                       Expiry expiry, byte[] expiryArgument) {

    /** Which command's words are accepted. */
    enum Form { SET, GETEX }

    /** Parses {@code args[first..]}; ERR syntax error on any word out of place. */
    static ExtendedOptions parse(byte[][] args, int first, Form form) {
        boolean nx = false;
        boolean xx = false;
        boolean get = false;
        TtlWord ttl = null;
        byte[] expiryArgument = null;
        for (int i = first; i < args.length; i++) {
            byte[] word = args[i];
            TtlWord ttlWord = TtlWord.named(word);
            if (form == Form.SET && is(word, "nx") && !xx) {
                nx = true;
            } else if (form == Form.SET && is(word, "xx") && !nx) {
                xx = true;
            } else if (form == Form.SET && is(word, "get")) {
                get = true;
            } else if (ttlWord != null && ttlWord.acceptedBy(form) && (ttl == null || ttl == ttlWord)
                    && (ttlWord.expiry == null || i + 1 < args.length)) {
                ttl = ttlWord;
                if (ttlWord.expiry != null) {
                    expiryArgument = args[++i];
                }
            } else {
                throw Errors.SYNTAX;
            }
        }
        return new ExtendedOptions(nx, xx, get, ttl == TtlWord.KEEPTTL, ttl == TtlWord.PERSIST,
                ttl == null ? null : ttl.expiry, expiryArgument);
    }

    boolean hasExpiry() {
        return expiry != null;
    }

    /** The expiry time the options ask for, in Unix milliseconds; see {@link Expiry#unixMillis}. */
    long expiryMillis(long now, String commandName) {
        return expiry.unixMillis(expiryArgument, now, commandName);
    }

    /** The words that set the time to live: only one of them per command, though it may repeat. */
    private enum TtlWord {
        EX(Expiry.EX), PX(Expiry.PX), EXAT(Expiry.EXAT), PXAT(Expiry.PXAT), KEEPTTL(null), PERSIST(null);

        /** What the value after the word means; null for the words that take no value. */
        final Expiry expiry;
        private final String word = name().toLowerCase(Locale.ROOT);

        TtlWord(Expiry expiry) {
            this.expiry = expiry;
        }

        boolean acceptedBy(Form form) {
            return switch (this) {
                case KEEPTTL -> form == Form.SET;
                case PERSIST -> form == Form.GETEX;
                default -> true;
            };
        }

        static TtlWord named(byte[] word) {
            for (TtlWord candidate : values()) {
                if (is(word, candidate.word)) {
                    return candidate;
                }
            }
            return null;
        }
    }

    private static boolean is(byte[] word, String lowerWord) {
        return Ascii.equalsIgnoreCaseUpToNul(word, lowerWord);
    }
}
