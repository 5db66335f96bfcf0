package io.postbox.commands.lolwut;

import io.postbox.commands.Command;
import io.postbox.commands.CommandGroup;
import io.postbox.commands.Engine;
import io.postbox.commands.Invocation;
import io.postbox.commands.Numbers;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.random.RandomGenerator;

/**
 * LOLWUT [VERSION version] [...]: some computer art and the server's version, as Redis 7.0 draws it.
 * VERSION 5 draws Schotter ({@link Schotter}), VERSION 6 a skyline ({@link Skyline}), each taking its
 * own size arguments; any other version, and no VERSION, prints only the version line, as Redis 7.0
 * does for its own version. The art is random: only its size and layout are Redis's.
 */
public final class Lolwut implements CommandGroup {

    /** C's RAND_MAX on glibc: rand() gives 0 to this, both included. */
    static final int RAND_MAX = Integer.MAX_VALUE;

    @Override
    public List<Command> commands() {
        return List.of(Command.builder("lolwut").arity(-1).flags("readonly fast").group("server")
                .summary("Draws some computer art and the server's version.").since("5.0.0")
                .syntax("[VERSION version:integer]").handler(Lolwut::lolwut).build());
    }

    private static void lolwut(Invocation call) {
        // Redis reads the version as an unsigned int: only its low 32 bits count.
        int version = 7;
        int first = 1;
        if (call.argc() >= 3 && call.argIs(1, "version")) {
            version = (int) Numbers.parseLong(call.arg(2));
            first = 3;
        }
        RandomGenerator random = ThreadLocalRandom.current();
        byte[] art;
        String caption;
        switch (version) {
            case 5 -> {
                long[] sizes = sizes(call, first, new long[] {66, 8, 12}, new long[] {1000, 200, 200});
                art = Schotter.draw((int) sizes[0], (int) sizes[1], (int) sizes[2], random);
                caption = "\nGeorg Nees - schotter, plotter on paper, 1968. ";
            }
            case 6 -> {
                long[] sizes = sizes(call, first, new long[] {80, 20}, new long[] {1000, 1000});
                art = Skyline.draw((int) sizes[0], (int) sizes[1], random);
                caption = "\nDedicated to the 8 bit game developers of past and present.\n"
                        + "Original 8 bit image from Plaguemon by hikikomori. ";
            }
            default -> {
                art = new byte[0];
                caption = "";
            }
        }
        byte[] tail = (caption + "Redis ver. " + Engine.REDIS_VERSION + "\n").getBytes(StandardCharsets.US_ASCII);
        byte[] text = new byte[art.length + tail.length];
        System.arraycopy(art, 0, text, 0, art.length);
        System.arraycopy(tail, 0, text, art.length, tail.length);
        call.reply().verbatim("txt", text);
    }

    /**
     * The size arguments from {@code first} on, each an integer, the defaults where absent; then each
     * between 1 and its maximum, so that LOLWUT stays cheap whatever it is asked.
     */
    private static long[] sizes(Invocation call, int first, long[] defaults, long[] maximums) {
        long[] sizes = defaults.clone();
        for (int i = 0; i < sizes.length && first + i < call.argc(); i++) {
            sizes[i] = Numbers.parseLong(call.arg(first + i));
        }
        for (int i = 0; i < sizes.length; i++) {
            sizes[i] = Math.max(1, Math.min(maximums[i], sizes[i]));
        }
        return sizes;
    }

    /** C's rand(), from {@code random}: 0 to {@link #RAND_MAX}. */
    static int rand(RandomGenerator random) {
        return random.nextInt() >>> 1;
    }
}
