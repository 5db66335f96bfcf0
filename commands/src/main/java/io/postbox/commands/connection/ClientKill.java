package io.postbox.commands.connection;

import io.postbox.commands.Client;
import io.postbox.commands.Errors;
import io.postbox.commands.Invocation;
import io.postbox.commands.Numbers;
import io.postbox.commands.acl.AclUser;
import io.postbox.resp.ErrorReply;
import java.util.ArrayList;
import java.util.List;

/**
 * CLIENT KILL in its two forms: {@code CLIENT KILL ip:port} (replies OK, or an error when nobody
 * matched, and may kill the caller) and {@code CLIENT KILL <filter value> ...} (replies the number
 * killed, and spares the caller unless {@code SKIPME no}). Filters combine: a client must match all.
 * Other clients are closed at once; the caller is closed after its reply.
 */
final class ClientKill {

    private static final ErrorReply BAD_ID = Errors.err("client-id should be greater than 0");

    private String addr;
    private String laddr;
    private ClientType type;
    private AclUser user;
    private long id;
    private boolean skipMe = true;

    private ClientKill() {
    }

    static void execute(Invocation call) {
        ClientKill filter = parse(call);
        Client caller = call.client();
        List<Client> victims = new ArrayList<>();
        for (Client client : call.engine().clients().all()) {
            if (filter.matches(client) && !(client == caller && filter.skipMe)) {
                victims.add(client);
            }
        }
        boolean oldForm = call.argc() == 3;
        if (oldForm && victims.isEmpty()) {
            throw Errors.err("No such client");
        }
        for (Client victim : victims) {
            if (victim != caller) {
                victim.close();
            }
        }
        if (oldForm) {
            call.reply().ok();
        } else {
            call.reply().integer(victims.size());
        }
        if (victims.contains(caller)) {
            caller.closeAfterReply();
        }
    }

    private static ClientKill parse(Invocation call) {
        ClientKill filter = new ClientKill();
        if (call.argc() == 3) {
            filter.addr = OptionWords.text(call.arg(2));
            filter.skipMe = false;
            return filter;
        }
        for (int i = 2; i < call.argc(); i += 2) {
            if (i + 1 >= call.argc()) {
                throw Errors.SYNTAX;
            }
            byte[] value = call.arg(i + 1);
            if (OptionWords.is(call, i, "id")) {
                filter.id = Numbers.parseLong(value, BAD_ID);
                if (filter.id < 1) {
                    throw BAD_ID;
                }
            } else if (OptionWords.is(call, i, "type")) {
                filter.type = ClientType.named(value);
            } else if (OptionWords.is(call, i, "addr")) {
                filter.addr = OptionWords.text(value);
            } else if (OptionWords.is(call, i, "laddr")) {
                filter.laddr = OptionWords.text(value);
            } else if (OptionWords.is(call, i, "user")) {
                filter.user = call.engine().acl().user(value);
                if (filter.user == null) {
                    throw Errors.err("No such user '" + OptionWords.text(value) + "'");
                }
            } else if (OptionWords.is(call, i, "skipme")) {
                filter.skipMe = skipMe(call, i + 1);
            } else {
                throw Errors.SYNTAX;
            }
        }
        return filter;
    }

    private static boolean skipMe(Invocation call, int i) {
        if (OptionWords.is(call, i, "yes")) {
            return true;
        } else if (OptionWords.is(call, i, "no")) {
            return false;
        }
        throw Errors.SYNTAX;
    }

    private boolean matches(Client client) {
        return (user == null || user == client.user())
                && (addr == null || addr.equals(client.address()))
                && (laddr == null || laddr.equals(client.localAddress()))
                && (type == null || type == ClientType.of(client))
                && (id == 0 || id == client.id());
    }
}
