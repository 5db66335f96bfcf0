package io.postbox.commands.keyspace;

import io.postbox.commands.config.Config;
import io.postbox.commands.config.ConfigOption;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The access clock every key carries, 24 bits as the {@code lru} field of a Redis object: with an
 * LFU {@code maxmemory-policy} it is a logarithmic access counter (low 8 bits) and the minute it was
 * last decremented (16 bits above); otherwise it is the second of the last access, modulo 2^24 (it
 * wraps every 194 days, as Redis's LRU clock does). The policy is read at every access, so switching
 * it at runtime reinterprets old clocks, as in Redis.
 */
public final class AccessTracking {

    /** Bits of a clock; the rest of a key's header is free for other uses ({@link KeyEntry}). */
    static final int CLOCK_BITS = 24;
    private static final int LRU_CLOCK_MAX = (1 << CLOCK_BITS) - 1;

    /** The counter of a new key, so it is not evicted before it had a chance to be used. */
    private static final int LFU_INITIAL = 5;

    // Handles, not lookups by name: every key access reads them.
    private final ConfigOption<String> policy;
    private final ConfigOption<Long> logFactor;
    private final ConfigOption<Long> decayMinutes;

    public AccessTracking(Config config) {
        this.policy = config.option("maxmemory-policy");
        this.logFactor = config.option("lfu-log-factor");
        this.decayMinutes = config.option("lfu-decay-time");
    }

    public boolean lfu() {
        return policy.value().endsWith("lfu");
    }

    /** The clock of a key created now. */
    int created(long nowMillis) {
        return lfu() ? (minutes(nowMillis) << 8) | LFU_INITIAL : seconds(nowMillis);
    }

    /** The clock after an access now. */
    int accessed(int clock, long nowMillis) {
        if (!lfu()) {
            return seconds(nowMillis);
        }
        int counter = frequency(clock, nowMillis);
        if (counter < 255) {
            double base = Math.max(0, counter - LFU_INITIAL);
            double chance = 1.0 / (base * logFactor.value() + 1);
            if (ThreadLocalRandom.current().nextDouble() < chance) {
                counter++;
            }
        }
        return (minutes(nowMillis) << 8) | counter;
    }

    /**
     * The clock of a key RESTORE made with IDLETIME ({@code idleSeconds}) or FREQ ({@code frequency}),
     * -1 for one not given, or {@code clock} if the option given does not apply to the policy (FREQ
     * without LFU, IDLETIME with it), as Redis ignores it then.
     */
    int restored(int clock, long idleSeconds, int frequency, long nowMillis) {
        if (lfu()) {
            return frequency < 0 ? clock : (minutes(nowMillis) << 8) | frequency;
        }
        if (idleSeconds < 0) {
            return clock;
        }
        // Before the clock's last wrap if need be; kept to the clock's 24 bits, as Redis's field keeps it.
        long accessed = seconds(nowMillis) - idleSeconds;
        return (int) ((accessed < 0 ? accessed + LRU_CLOCK_MAX : accessed) & LRU_CLOCK_MAX);
    }

    /** OBJECT IDLETIME: seconds since the last access (LRU clocks), across one wrap of the clock. */
    long idleSeconds(int clock, long nowMillis) {
        int now = seconds(nowMillis);
        return now >= clock ? now - clock : now + (LRU_CLOCK_MAX - clock);
    }

    /** OBJECT FREQ: the LFU counter, less one for every decay period elapsed since its minute. */
    int frequency(int clock, long nowMillis) {
        int counter = clock & 0xff;
        long decay = decayMinutes.value();
        if (decay == 0) {
            return counter;
        }
        int then = (clock >>> 8) & 0xffff;
        int now = minutes(nowMillis);
        long elapsed = now >= then ? now - then : 65535 - then + now;
        long periods = elapsed / decay;
        return periods > counter ? 0 : (int) (counter - periods);
    }

    private static int seconds(long millis) {
        return (int) ((millis / 1000) & LRU_CLOCK_MAX);
    }

    private static int minutes(long millis) {
        return (int) ((millis / 60_000) & 0xffff);
    }
}
