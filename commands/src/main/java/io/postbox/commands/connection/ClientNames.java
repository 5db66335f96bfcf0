package io.postbox.commands.connection;

import io.postbox.commands.Client;
import io.postbox.commands.Errors;
import io.postbox.resp.ErrorReply;
import java.nio.charset.StandardCharsets;

/**
 * The rule for connection names and library attributes: printable ASCII without spaces, so a CLIENT
 * LIST line still splits on spaces. An empty value removes the name.
 */
final class ClientNames {

    static final ErrorReply INVALID_NAME =
            Errors.err("Client names cannot contain spaces, newlines or special characters.");

    private ClientNames() {
    }

    /** Whether every byte is between '!' and '~' (bytes are signed, so 0x80 and up fail too). */
    static boolean valid(byte[] value) {
        for (byte b : value) {
            if (b < '!' || b > '~') {
                return false;
            }
        }
        return true;
    }

    /** Validates and sets the connection name (CLIENT SETNAME, HELLO SETNAME). */
    static void setName(Client client, byte[] name) {
        if (!valid(name)) {
            throw INVALID_NAME;
        }
        client.name(new String(name, StandardCharsets.ISO_8859_1));
    }
}
