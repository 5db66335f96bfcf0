package io.postbox.persistence.rdb;

/**
 * Redis's test hooks {@code rdb-key-save-delay} and {@code key-load-delay}: each key saved or loaded
 * takes that many microseconds more; a negative -n, one microsecond every n keys (what Redis's random
 * delay averages to). Kept against the clock since the start rather than slept key by key, so a save's
 * slices can rest between keys instead of sleeping, and the sum stays right however short the delay.
 */
public final class KeyPace {

    private final long nanosPerKey;
    private final long startNanos = System.nanoTime();

    private KeyPace(long nanosPerKey) {
        this.nanosPerKey = nanosPerKey;
    }

    /** A pace of {@code micros} a key, as the hooks' value gives it; 0 for none. */
    public static KeyPace of(long micros) {
        return new KeyPace(micros >= 0 ? micros * 1000 : Math.max(1, 1000 / -micros));
    }

    /** Whether there is a delay at all. */
    public boolean paced() {
        return nanosPerKey > 0;
    }

    /** How many keys may be done by {@code nowNanos} ({@link System#nanoTime()}): unlimited without a delay. */
    public long keysAllowed(long nowNanos) {
        return paced() ? (nowNanos - startNanos) / nanosPerKey + 1 : Long.MAX_VALUE;
    }

    /** Nanoseconds to wait from {@code nowNanos} before the key after the first {@code done} may go. */
    public long waitBefore(long done, long nowNanos) {
        return paced() ? Math.max(0, startNanos + done * nanosPerKey - nowNanos) : 0;
    }
}
