package io.postbox.commands.connection;

import io.postbox.commands.Engine;
import io.postbox.commands.Errors;
import io.postbox.resp.ErrorReply;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;

/**
 * Users and passwords. Postbox has Redis's {@code default} user only: without {@code requirepass} it
 * takes any password (Redis's {@code nopass}); with it, exactly that one. The comparison takes the
 * same time whatever the guess.
 */
final class Authentication {

    static final ErrorReply WRONGPASS =
            new ErrorReply("WRONGPASS invalid username-password pair or user is disabled.");

    /** The one user there is. */
    static final byte[] DEFAULT_USER = "default".getBytes(StandardCharsets.US_ASCII);

    private Authentication() {
    }

    /** Whether {@code user} with {@code password} may log in. */
    static boolean accepts(Engine engine, byte[] user, byte[] password) {
        if (!Arrays.equals(user, DEFAULT_USER)) {
            return false;
        }
        String required = engine.config().getString("requirepass");
        return required.isEmpty() || MessageDigest.isEqual(required.getBytes(StandardCharsets.ISO_8859_1), password);
    }

    /** Checks that a user of that name exists (CLIENT KILL USER). */
    static void requireUser(byte[] user) {
        if (!Arrays.equals(user, DEFAULT_USER)) {
            throw Errors.err("No such user '" + OptionWords.text(user) + "'");
        }
    }
}
