package io.postbox.commands.connection;

import io.postbox.commands.Client;
import io.postbox.commands.Errors;
import io.postbox.commands.Invocation;
import io.postbox.commands.Numbers;
import io.postbox.resp.ErrorReply;
import java.nio.charset.StandardCharsets;

/** CLIENT LIST and CLIENT INFO: clients as text lines, a verbatim string in RESP3. */
final class ClientList {

    private static final ErrorReply INVALID_ID = Errors.err("Invalid client ID");

    private ClientList() {
    }

    /**
     * CLIENT LIST [TYPE type | ID id [id ...]]: every client in connection order, those of a type, or
     * those with the given ids in argument order (ids of no client are skipped).
     */
    static void list(Invocation call) {
        StringBuilder text = new StringBuilder();
        if (call.argc() == 4 && OptionWords.is(call, 2, "type")) {
            ClientType type = ClientType.named(call.arg(3));
            for (Client client : call.engine().clients().all()) {
                if (ClientType.of(client) == type) {
                    append(text, client, call);
                }
            }
        } else if (call.argc() > 3 && OptionWords.is(call, 2, "id")) {
            long[] ids = new long[call.argc() - 3];
            for (int i = 0; i < ids.length; i++) {
                ids[i] = Numbers.parseLong(call.arg(i + 3), INVALID_ID);
            }
            for (long id : ids) {
                Client client = call.engine().clients().get(id);
                if (client != null) {
                    append(text, client, call);
                }
            }
        } else if (call.argc() == 2) {
            for (Client client : call.engine().clients().all()) {
                append(text, client, call);
            }
        } else {
            throw Errors.SYNTAX;
        }
        reply(call, text);
    }

    static void info(Invocation call) {
        StringBuilder text = new StringBuilder();
        append(text, call.client(), call);
        reply(call, text);
    }

    private static void append(StringBuilder text, Client client, Invocation call) {
        text.append(ClientInfo.line(client, call.engine())).append('\n');
    }

    private static void reply(Invocation call, StringBuilder text) {
        call.reply().verbatim("txt", text.toString().getBytes(StandardCharsets.ISO_8859_1));
    }
}
