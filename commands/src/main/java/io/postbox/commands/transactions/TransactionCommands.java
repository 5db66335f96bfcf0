package io.postbox.commands.transactions;

import io.postbox.commands.Client;
import io.postbox.commands.Command;
import io.postbox.commands.CommandGroup;
import io.postbox.commands.Engine;
import io.postbox.commands.Errors;
import io.postbox.commands.Invocation;
import io.postbox.commands.KeySpec;
import io.postbox.commands.acl.AclDenial;
import io.postbox.commands.acl.AclLog;
import io.postbox.resp.ErrorReply;
import java.util.List;

/**
 * MULTI, EXEC, DISCARD, WATCH and UNWATCH. While MULTI is open the dispatcher queues commands
 * ({@link Transaction#queues}) and refuses those the table marks {@code no_multi}; a refusal of any
 * kind aborts the transaction. EXEC runs the queue through {@link io.postbox.commands.Dispatcher#call}
 * with blocking denied, so a blocking command acts as its non-blocking twin; an error inside EXEC is
 * that command's reply and undoes nothing.
 */
public final class TransactionCommands implements CommandGroup {

    private static final String FLAGS = "noscript loading stale fast allow_busy";
    private static final ErrorReply NESTED = Errors.err("MULTI calls can not be nested");
    private static final ErrorReply EXEC_WITHOUT_MULTI = Errors.err("EXEC without MULTI");
    private static final ErrorReply DISCARD_WITHOUT_MULTI = Errors.err("DISCARD without MULTI");
    private static final ErrorReply WATCH_INSIDE_MULTI = Errors.err("WATCH inside MULTI is not allowed");
    private static final ErrorReply EXECABORT =
            new ErrorReply("EXECABORT Transaction discarded because of previous errors.");

    @Override
    public List<Command> commands() {
        return List.of(
                Command.builder("multi").arity(1).flags(FLAGS).acl("@transaction").group("transactions")
                        .summary("Opens a transaction: the commands that follow are queued until EXEC.")
                        .since("1.2.0").complexity("O(1)").syntax("")
                        .handler(TransactionCommands::multi).build(),
                Command.builder("exec").arity(1).flags("noscript loading stale skip_slowlog").acl("@transaction")
                        .group("transactions")
                        .summary("Runs the commands queued since MULTI, as one atomic step.")
                        .since("1.2.0").complexity("Depends on commands in the transaction").syntax("")
                        .handler(TransactionCommands::exec).build(),
                Command.builder("discard").arity(1).flags(FLAGS).acl("@transaction").group("transactions")
                        .summary("Drops the commands queued since MULTI and ends the transaction.")
                        .since("2.0.0").complexity("O(N), when N is the number of queued commands").syntax("")
                        .handler(TransactionCommands::discard).build(),
                Command.builder("watch").arity(-2).flags(FLAGS).acl("@transaction").group("transactions")
                        .keys(KeySpec.range("RO", 1, -1, 1))
                        .summary("Makes the next EXEC fail if any of the keys changes before it.")
                        .since("2.2.0").complexity("O(1) for every key.").syntax("key [key ...]")
                        .handler(TransactionCommands::watch).build(),
                Command.builder("unwatch").arity(1).flags(FLAGS).acl("@transaction").group("transactions")
                        .summary("Stops watching every key this connection watches.")
                        .since("2.2.0").complexity("O(1)").syntax("")
                        .handler(TransactionCommands::unwatch).build());
    }

    static void multi(Invocation call) {
        Transaction transaction = Transaction.of(call.client());
        if (transaction.open()) {
            throw NESTED;
        }
        transaction.begin();
        call.reply().ok();
    }

    /**
     * Fails with a null array if a watched key changed or expired, aborts with EXECABORT after an
     * error while queuing, and otherwise replies an array with each queued command's reply.
     */
    static void exec(Invocation call) {
        Client client = call.client();
        Engine engine = call.engine();
        Transaction transaction = client.transaction();
        if (transaction == null || !transaction.open()) {
            throw EXEC_WITHOUT_MULTI;
        }
        if (engine.watches().anyExpired(transaction)) {
            transaction.watchedKeyChanged();
        }
        if (transaction.aborted()) {
            end(engine, transaction);
            throw EXECABORT;
        }
        if (transaction.watchedKeyHasChanged()) {
            end(engine, transaction);
            call.reply().nullArray();
            return;
        }
        engine.watches().unwatchAll(transaction);
        boolean denied = client.denyBlocking();
        client.denyBlocking(true);
        engine.executingTransaction(true);
        // A copy: a queued command may end this client's session (and so its queue) while EXEC runs.
        List<Transaction.Queued> queued = List.copyOf(transaction.queued());
        call.reply().array(queued.size());
        try {
            for (Transaction.Queued command : queued) {
                // The user's rules may have changed since the command was queued.
                AclDenial denial = engine.dispatcher().aclDenial(client, command.command(), command.args(),
                        AclLog.Context.MULTI, client);
                if (denial == null) {
                    engine.dispatcher().call(client, command.command(), command.args());
                } else {
                    ErrorReply error = new ErrorReply(denial.execError());
                    engine.stats().error(error.code());
                    call.reply().error(error);
                }
            }
        } finally {
            // Server-wide: a command that failed unexpectedly must not leave every later BGSAVE scheduled.
            engine.executingTransaction(false);
            client.denyBlocking(denied);
        }
        end(engine, transaction);
    }

    static void discard(Invocation call) {
        Transaction transaction = call.client().transaction();
        if (transaction == null || !transaction.open()) {
            throw DISCARD_WITHOUT_MULTI;
        }
        end(call.engine(), transaction);
        call.reply().ok();
    }

    /** Watching changes nothing once a watched key has changed: EXEC will fail anyway. */
    static void watch(Invocation call) {
        Transaction transaction = Transaction.of(call.client());
        if (transaction.open()) {
            throw WATCH_INSIDE_MULTI;
        }
        if (!transaction.watchedKeyHasChanged()) {
            for (int i = 1; i < call.argc(); i++) {
                call.engine().watches().watch(transaction, call.db(), call.arg(i));
            }
        }
        call.reply().ok();
    }

    static void unwatch(Invocation call) {
        Transaction transaction = call.client().transaction();
        if (transaction != null) {
            call.engine().watches().unwatchAll(transaction);
            transaction.forgetChanges();
        }
        call.reply().ok();
    }

    /**
     * When the dispatcher refuses EXEC itself, the reply is an EXECABORT that carries the reason
     * ({@code ERR} dropped, any other error code kept), and the transaction ends ({@link #abortExec}).
     */
    public static ErrorReply abortReason(ErrorReply reason) {
        String text = reason.text().startsWith("ERR ") ? reason.text().substring(4) : reason.text();
        return new ErrorReply("EXECABORT Transaction discarded because of: " + text);
    }

    /** Ends the transaction of a client whose EXEC the dispatcher refused. */
    public static void abortExec(Engine engine, Client client) {
        if (client.transaction() != null) {
            end(engine, client.transaction());
        }
    }

    /** Ends MULTI (if open) and every watch: EXEC, DISCARD, RESET and disconnection end this way. */
    public static void end(Engine engine, Transaction transaction) {
        engine.watches().unwatchAll(transaction);
        transaction.close();
    }
}
