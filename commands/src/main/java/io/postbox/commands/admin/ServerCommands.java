package io.postbox.commands.admin;

import io.postbox.commands.Command;
import io.postbox.commands.CommandGroup;
import io.postbox.commands.Errors;
import io.postbox.commands.Help;
import io.postbox.commands.Invocation;
import io.postbox.commands.Numbers;
import io.postbox.commands.admin.info.Info;
import io.postbox.resp.ErrorReply;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Server administration: INFO, TIME, SHUTDOWN, SLOWLOG, LASTSAVE, and SAVE, BGSAVE, BGREWRITEAOF. */
public final class ServerCommands implements CommandGroup {

    private final Info info = new Info();

    @Override
    public List<Command> commands() {
        List<Command> all = new ArrayList<>(SaveCommands.commands());
        all.addAll(List.of(
                Command.builder("info").arity(-1).flags("loading stale").acl("@dangerous").group("server")
                        .summary("Reports the server's state and statistics, by section.").since("1.0.0")
                        .complexity("O(1)").syntax("[section [section ...]]")
                        .tips("nondeterministic_output", "request_policy:all_shards", "response_policy:special")
                        .history("7.0.0", "Accepts several sections in one call.")
                        .handler(this::info).build(),
                Command.builder("time").arity(1).flags("loading stale fast").group("server")
                        .summary("Returns the server's clock as seconds and microseconds.").since("2.6.0")
                        .complexity("O(1)").tips("nondeterministic_output")
                        .handler(ServerCommands::time).build(),
                Command.builder("shutdown").arity(-1).flags("admin noscript loading stale no_multi allow_busy")
                        .group("server").summary("Stops the server: closes every connection and ends the process.")
                        .since("1.0.0")
                        .complexity("O(N) when saving, where N is the total number of keys in all databases when "
                                + "saving data, otherwise O(1)")
                        .syntax("[NOSAVE | SAVE] [NOW] [FORCE] [ABORT]")
                        .history("7.0.0", "Takes the NOW, FORCE and ABORT options.")
                        .handler(ServerCommands::shutdown).build(),
                Command.builder("slowlog").arity(-2).group("server")
                        .summary("Reads and clears the log of slow commands.").since("2.2.12")
                        .complexity("Depends on subcommand.")
                        .subcommand(Command.builder("get").arity(-2).flags("admin loading stale").group("server")
                                .summary("Returns the newest entries of the slow log.").since("2.2.12")
                                .complexity("O(N) where N is the number of entries returned").syntax("[count]")
                                .tips("request_policy:all_nodes", "nondeterministic_output")
                                .history("4.0.0", "Entries include the client's address and name.")
                                .handler(ServerCommands::slowlogGet))
                        .subcommand(Command.builder("len").arity(2).flags("admin loading stale").group("server")
                                .summary("Returns the number of entries in the slow log.").since("2.2.12")
                                .complexity("O(1)")
                                .tips("request_policy:all_nodes", "response_policy:agg_sum", "nondeterministic_output")
                                .handler(call -> call.reply().integer(call.engine().slowLog().size())))
                        .subcommand(Command.builder("reset").arity(2).flags("admin loading stale").group("server")
                                .summary("Empties the slow log.").since("2.2.12")
                                .complexity("O(N) where N is the number of entries in the slowlog")
                                .tips("request_policy:all_nodes", "response_policy:all_succeeded")
                                .handler(ServerCommands::slowlogReset))
                        .subcommand(Command.builder("help").arity(2).flags("loading stale").group("server")
                                .summary("Lists the SLOWLOG subcommands.").since("6.2.0").complexity("O(1)")
                                .handler(ServerCommands::slowlogHelp))
                        .build(),
                Command.builder("lastsave").arity(1).flags("loading stale fast").acl("@admin @dangerous")
                        .group("server").summary("Returns the Unix time of the last successful save of the dataset.")
                        .since("1.0.0").complexity("O(1)").tips("nondeterministic_output")
                        .handler(call -> call.reply().integer(call.engine().persistence().lastSaveSeconds)).build()));
        return all;
    }

    private void info(Invocation call) {
        List<String> sections = new ArrayList<>();
        for (int i = 1; i < call.argc(); i++) {
            sections.add(call.argString(i));
        }
        byte[] text = info.render(call.engine(), sections).getBytes(StandardCharsets.ISO_8859_1);
        call.reply().verbatim("txt", text);
    }

    static void time(Invocation call) {
        long micros = currentMicros();
        call.reply().array(2);
        call.reply().bulk(Long.toString(micros / 1_000_000));
        call.reply().bulk(Long.toString(micros % 1_000_000));
    }

    private static long currentMicros() {
        java.time.Instant now = java.time.Instant.now();
        return now.getEpochSecond() * 1_000_000 + now.getNano() / 1000;
    }

    /**
     * Flags may repeat; ABORT goes alone and SAVE excludes NOSAVE. A shutdown may wait for replicas
     * ({@link io.postbox.commands.replication.ShutdownWait}), which ABORT cancels.
     */
    static void shutdown(Invocation call) {
        boolean noSave = false;
        boolean save = false;
        boolean now = false;
        boolean force = false;
        boolean abort = false;
        for (int i = 1; i < call.argc(); i++) {
            if (call.argIs(i, "nosave")) {
                noSave = true;
            } else if (call.argIs(i, "save")) {
                save = true;
            } else if (call.argIs(i, "now")) {
                now = true;
            } else if (call.argIs(i, "force")) {
                force = true;
            } else if (call.argIs(i, "abort")) {
                abort = true;
            } else {
                throw Errors.SYNTAX;
            }
        }
        if ((abort && (noSave || save || now || force)) || (noSave && save)) {
            throw Errors.SYNTAX;
        }
        if (abort) {
            if (!call.engine().shutdownWait().pending()) {
                throw Errors.err("No shutdown in progress.");
            }
            call.engine().shutdownWait().abort();
            call.reply().ok();
            return;
        }
        // While a script is busy only SHUTDOWN NOSAVE may end the server: a save would see half a script.
        if (!noSave && call.engine().scriptWatch().busy()) {
            throw Errors.busy(call.engine().scriptWatch());
        }
        call.engine().shutdownWait().shutdown(call, new ServerProcess.ShutdownRequest(noSave, save, now, force));
    }

    static void slowlogGet(Invocation call) {
        if (call.argc() > 3) {
            throw Help.subcommandSyntaxError(call);
        }
        SlowLog log = call.engine().slowLog();
        long count = 10;
        if (call.argc() == 3) {
            count = Numbers.parseLong(call.arg(2), new ErrorReply("ERR count should be greater than or equal to -1"));
            if (count < -1) {
                throw Errors.err("count should be greater than or equal to -1");
            }
            if (count == -1) {
                count = log.size();
            }
        }
        List<SlowLog.Entry> entries = log.newest(count);
        call.reply().array(entries.size());
        for (SlowLog.Entry entry : entries) {
            call.reply().array(6);
            call.reply().integer(entry.id());
            call.reply().integer(entry.unixSeconds());
            call.reply().integer(entry.micros());
            call.reply().bulks(entry.args());
            call.reply().bulk(entry.clientAddress());
            call.reply().bulk(entry.clientName());
        }
    }

    static void slowlogReset(Invocation call) {
        call.engine().slowLog().reset();
        call.reply().ok();
    }

    static void slowlogHelp(Invocation call) {
        Help.reply(call,
                "GET [<count>]",
                "    Return top <count> entries from the slowlog (default: 10, -1 mean all).",
                "    Entries are made of:",
                "    id, timestamp, time in microseconds, arguments array, client IP and port,",
                "    client name",
                "LEN",
                "    Return the length of the slowlog.",
                "RESET",
                "    Reset the slowlog.");
    }
}
