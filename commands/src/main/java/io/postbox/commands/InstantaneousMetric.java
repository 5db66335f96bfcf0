package io.postbox.commands;

/**
 * A rate averaged over the last 16 samples, as INFO's instantaneous_ops_per_sec and *_kbps: each sample
 * is the growth of a counter per second since the previous sample. The server takes samples on a timer
 * (every 100 ms, as Redis's cron does). Executor thread only.
 */
public final class InstantaneousMetric {

    private static final int SAMPLES = 16;

    private final long[] samples = new long[SAMPLES];
    private int next;
    private long lastSampleMillis = System.currentTimeMillis();
    private long lastReading;

    /** Records the counter's value now. */
    public void sample(long nowMillis, long reading) {
        long elapsed = nowMillis - lastSampleMillis;
        samples[next] = elapsed > 0 ? (reading - lastReading) * 1000 / elapsed : 0;
        next = (next + 1) % SAMPLES;
        lastSampleMillis = nowMillis;
        lastReading = reading;
    }

    /** Per second, averaged over the samples. */
    public long perSecond() {
        long sum = 0;
        for (long sample : samples) {
            sum += sample;
        }
        return sum / SAMPLES;
    }

    /** Forgets every sample; the counter it follows starts again from 0. */
    public void reset(long nowMillis) {
        java.util.Arrays.fill(samples, 0);
        next = 0;
        lastSampleMillis = nowMillis;
        lastReading = 0;
    }
}
