package io.postbox.commands.admin;

import io.postbox.commands.Client;
import io.postbox.commands.Command;
import io.postbox.commands.CommandFlag;
import io.postbox.commands.config.Config;
import io.postbox.commands.config.ConfigOption;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;

/**
 * The slow log: commands that ran for at least {@code slowlog-log-slower-than} microseconds, newest
 * first, at most {@code slowlog-max-len} of them. Entries keep what Redis keeps: at most 32 arguments
 * (the last saying how many more there were) and at most 128 bytes of each.
 *
 * <p>Executor thread only.
 */
public final class SlowLog {

    private static final int MAX_ARGS = 32;
    private static final int MAX_ARG_BYTES = 128;

    /** One slow command: its id, start time, duration, arguments and client. */
    public record Entry(long id, long unixSeconds, long micros, List<byte[]> args, String clientAddress,
                        String clientName) {
    }

    private final ConfigOption<Long> slowerThan;
    private final ConfigOption<Long> maxLength;
    private final Deque<Entry> entries = new ArrayDeque<>();
    private long nextId;

    public SlowLog(Config config) {
        this.slowerThan = config.option("slowlog-log-slower-than");
        this.maxLength = config.option("slowlog-max-len");
    }

    /** Logs a command that has just run, if it was slow enough; trims the log to its maximum length. */
    public void record(Client client, Command command, byte[][] args, long micros) {
        if (command.is(CommandFlag.SKIP_SLOWLOG) || slowerThan.value() < 0 || maxLength.value() == 0) {
            return;
        }
        if (micros >= slowerThan.value()) {
            entries.addFirst(new Entry(nextId++, System.currentTimeMillis() / 1000, micros, kept(args),
                    client.address(), client.name()));
        }
        while (entries.size() > maxLength.value()) {
            entries.removeLast();
        }
    }

    private static List<byte[]> kept(byte[][] args) {
        int count = Math.min(args.length, MAX_ARGS);
        List<byte[]> kept = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            if (count != args.length && i == count - 1) {
                kept.add(ascii("... (" + (args.length - count + 1) + " more arguments)"));
            } else if (args[i].length > MAX_ARG_BYTES) {
                byte[] head = Arrays.copyOf(args[i], MAX_ARG_BYTES);
                byte[] tail = ascii("... (" + (args[i].length - MAX_ARG_BYTES) + " more bytes)");
                byte[] both = Arrays.copyOf(head, head.length + tail.length);
                System.arraycopy(tail, 0, both, head.length, tail.length);
                kept.add(both);
            } else {
                kept.add(args[i]);
            }
        }
        return kept;
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    /** The newest {@code count} entries, newest first. */
    public List<Entry> newest(long count) {
        List<Entry> newest = new ArrayList<>();
        Iterator<Entry> it = entries.iterator();
        while (it.hasNext() && newest.size() < count) {
            newest.add(it.next());
        }
        return newest;
    }

    public int size() {
        return entries.size();
    }

    /** Empties the log; ids keep counting. */
    public void reset() {
        entries.clear();
    }
}
