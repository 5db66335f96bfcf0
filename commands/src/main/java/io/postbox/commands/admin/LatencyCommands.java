package io.postbox.commands.admin;

import io.postbox.commands.Command;
import io.postbox.commands.CommandGroup;
import io.postbox.commands.CommandHandler;
import io.postbox.commands.Errors;
import io.postbox.commands.Help;
import io.postbox.commands.Invocation;
import io.postbox.commands.LatencyHistogram;
import io.postbox.commands.Stats;
import io.postbox.commands.config.Config;
import io.postbox.resp.Reply;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * LATENCY: the latency monitor's samples ({@link LatencyMonitor}: LATEST, HISTORY, RESET, and for
 * people DOCTOR and GRAPH) and the per-command latency histograms (HISTOGRAM), which monitoring tools
 * such as redis_exporter read.
 */
public final class LatencyCommands implements CommandGroup {

    private static final String FLAGS = "admin noscript loading stale";
    private static final String[] REPORT_TIPS =
            {"nondeterministic_output", "request_policy:all_nodes", "response_policy:special"};

    @Override
    public List<Command> commands() {
        return List.of(Command.builder("latency").arity(-2).group("server")
                .summary("Reads and resets the latency monitor's samples and the commands' latency histograms.")
                .since("2.8.13").complexity("Depends on subcommand.")
                .subcommand(subcommand("doctor", 2, LatencyCommands::doctor)
                        .summary("Reports the latency spikes recorded and what to look at.").complexity("O(1)")
                        .tips(REPORT_TIPS))
                .subcommand(subcommand("graph", 3, LatencyCommands::graph)
                        .summary("Draws an event's latency samples as a chart.").complexity("O(1)")
                        .syntax("event:string").tips(REPORT_TIPS))
                .subcommand(subcommand("latest", 2, LatencyCommands::latest)
                        .summary("Replies each event's latest and worst latency.").complexity("O(1)")
                        .tips(REPORT_TIPS))
                .subcommand(subcommand("history", 3, LatencyCommands::history)
                        .summary("Replies an event's latency samples, a second each, oldest first.")
                        .complexity("O(1)").syntax("event:string").tips(REPORT_TIPS))
                .subcommand(subcommand("reset", -2, LatencyCommands::reset)
                        .summary("Forgets the samples of some events, or of all; replies how many had some.")
                        .complexity("O(1)").syntax("[event:string [event:string ...]]")
                        .tips("request_policy:all_nodes", "response_policy:all_succeeded"))
                .subcommand(subcommand("histogram", -2, LatencyCommands::histogram)
                        .summary("Replies the cumulative distribution of some commands' latencies, or of all"
                                + " commands'.")
                        .since("7.0.0")
                        .complexity("O(N) where N is the number of commands with latency information being"
                                + " retrieved.")
                        .syntax("[command:string [command:string ...]]").tips(REPORT_TIPS))
                .subcommand(Command.builder("help").arity(2).flags("loading stale").group("server")
                        .summary("Lists the LATENCY subcommands.").since("2.8.13").complexity("O(1)")
                        .handler(LatencyCommands::help))
                .build());
    }

    private static Command.Builder subcommand(String name, int arity, CommandHandler handler) {
        return Command.builder(name).arity(arity).flags(FLAGS).group("server")
                .since("2.8.13").handler(handler);
    }

    static void doctor(Invocation call) {
        Config config = call.engine().config();
        long threshold = config.<Long>option("latency-monitor-threshold").value();
        long slowLog = config.<Long>option("slowlog-log-slower-than").value();
        String report = LatencyReport.of(call.engine().latencyMonitor(), threshold, slowLog,
                LatencyMonitor.nowSeconds());
        call.reply().verbatim("txt", report.getBytes(StandardCharsets.UTF_8));
    }

    static void graph(Invocation call) {
        LatencyMonitor monitor = call.engine().latencyMonitor();
        String event = call.argString(2);
        List<LatencyMonitor.Sample> samples = monitor.history(event);
        if (samples.isEmpty()) {
            throw Errors.err("No samples available for event '" + event + "'");
        }
        String graph = LatencyGraph.of(event, samples, monitor.max(event), LatencyMonitor.nowSeconds());
        call.reply().verbatim("txt", graph.getBytes(StandardCharsets.UTF_8));
    }

    /** Per event with samples: its name, the latest sample's time and latency, and the worst latency. */
    static void latest(Invocation call) {
        LatencyMonitor monitor = call.engine().latencyMonitor();
        List<String> events = monitor.events();
        call.reply().array(events.size());
        for (String event : events) {
            LatencyMonitor.Sample latest = monitor.latest(event);
            call.reply().array(4);
            call.reply().bulk(event);
            call.reply().integer(latest.unixSeconds());
            call.reply().integer(latest.millis());
            call.reply().integer(monitor.max(event));
        }
    }

    static void history(Invocation call) {
        List<LatencyMonitor.Sample> samples = call.engine().latencyMonitor().history(call.argString(2));
        call.reply().array(samples.size());
        for (LatencyMonitor.Sample sample : samples) {
            call.reply().array(2);
            call.reply().integer(sample.unixSeconds());
            call.reply().integer(sample.millis());
        }
    }

    static void reset(Invocation call) {
        LatencyMonitor monitor = call.engine().latencyMonitor();
        if (call.argc() == 2) {
            call.reply().integer(monitor.resetAll());
            return;
        }
        int reset = 0;
        for (int i = 2; i < call.argc(); i++) {
            if (monitor.reset(call.argString(i))) {
                reset++;
            }
        }
        call.reply().integer(reset);
    }

    /**
     * The named commands (a container stands for its subcommands, {@code config|get} names one) or
     * all, each that has calls, with their calls and cumulative distribution; other names are skipped.
     */
    static void histogram(Invocation call) {
        List<Command> named = new ArrayList<>();
        if (call.argc() == 2) {
            named.addAll(call.engine().commands().withSubcommands());
        }
        for (int i = 2; i < call.argc(); i++) {
            Command command = call.engine().commands().lookupFullName(call.argString(i));
            if (command != null) {
                named.add(command);
                named.addAll(command.subcommands().values());
            }
        }
        List<Command> withCalls = new ArrayList<>();
        for (Command command : named) {
            Stats.CommandStats stats = call.engine().stats().peek(command);
            if (stats != null && stats.hasLatency()) {
                withCalls.add(command);
            }
        }
        Reply reply = call.reply();
        reply.map(withCalls.size());
        for (Command command : withCalls) {
            LatencyHistogram histogram = call.engine().stats().peek(command).latency();
            reply.bulk(command.fullName());
            reply.map(2);
            reply.bulk("calls");
            reply.integer(histogram.count());
            reply.bulk("histogram_usec");
            List<long[]> rows = histogram.cumulativeByDoubling();
            reply.map(rows.size());
            for (long[] row : rows) {
                reply.integer(row[0] / 1000);
                reply.integer(row[1]);
            }
        }
    }


    static void help(Invocation call) {
        Help.reply(call,
                "DOCTOR",
                "    Return a human readable latency analysis report.",
                "GRAPH <event>",
                "    Return an ASCII latency graph for the <event> class.",
                "HISTORY <event>",
                "    Return time-latency samples for the <event> class.",
                "LATEST",
                "    Return the latest latency samples for all events.",
                "RESET [<event> ...]",
                "    Reset latency data of one or more <event> classes.",
                "    (default: reset all data for all event classes)",
                "HISTOGRAM [COMMAND ...]",
                "    Return a cumulative distribution of latencies in the format of a histogram for the specified"
                        + " command names.",
                "    If no commands are specified then all histograms are replied.");
    }
}
