package io.postbox.commands.admin;

import io.postbox.commands.config.Config;
import io.postbox.commands.config.ConfigOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The latency monitor: events that took at least {@code latency-monitor-threshold} milliseconds (0,
 * the default, turns it off), kept per event as Redis keeps them: the worst latency of each of the
 * last 160 seconds that had one, and the worst ever. Postbox samples the events of command calls,
 * {@code command} and {@code fast-command} (commands flagged fast). LATENCY LATEST, HISTORY, RESET,
 * DOCTOR and GRAPH read it.
 *
 * <p>Executor thread only.
 */
public final class LatencyMonitor {

    /** Seconds of samples kept per event. */
    static final int SAMPLES = 160;

    /** The worst latency of one second, in Unix seconds and milliseconds. */
    public record Sample(long unixSeconds, long millis) {
    }

    /** One event's samples: a ring, {@code next} the slot the next second takes. */
    private static final class Series {
        final Sample[] samples = new Sample[SAMPLES];
        int next;
        long max;

        Sample latest() {
            return samples[(next + SAMPLES - 1) % SAMPLES];
        }
    }

    private final ConfigOption<Long> threshold;
    private final Map<String, Series> events = new LinkedHashMap<>();

    public LatencyMonitor(Config config) {
        this.threshold = config.option("latency-monitor-threshold");
    }

    /** Records that {@code event} took {@code millis} now, if the monitor is on and that is enough. */
    public void sampleIfNeeded(String event, long millis) {
        long least = threshold.value();
        if (least > 0 && millis >= least) {
            add(event, millis, nowSeconds());
        }
    }

    /** The clock samples are stamped with, in Unix seconds. */
    static long nowSeconds() {
        return System.currentTimeMillis() / 1000;
    }

    void add(String event, long millis, long unixSeconds) {
        Series series = events.computeIfAbsent(event, name -> new Series());
        series.max = Math.max(series.max, millis);
        Sample latest = series.latest();
        if (latest != null && latest.unixSeconds() == unixSeconds) {
            if (millis > latest.millis()) {
                series.samples[(series.next + SAMPLES - 1) % SAMPLES] = new Sample(unixSeconds, millis);
            }
            return;
        }
        series.samples[series.next] = new Sample(unixSeconds, millis);
        series.next = (series.next + 1) % SAMPLES;
    }

    /** The events with samples, in the order they first had one. */
    public List<String> events() {
        return List.copyOf(events.keySet());
    }

    /** The latest sample of an event that has samples. */
    public Sample latest(String event) {
        return events.get(event).latest();
    }

    /** The worst latency ever sampled for an event that has samples, in milliseconds. */
    public long max(String event) {
        return events.get(event).max;
    }

    /** An event's samples, oldest first; none for an event without samples. */
    public List<Sample> history(String event) {
        Series series = events.get(event);
        List<Sample> out = new ArrayList<>();
        if (series != null) {
            for (int i = 0; i < SAMPLES; i++) {
                Sample sample = series.samples[(series.next + i) % SAMPLES];
                if (sample != null) {
                    out.add(sample);
                }
            }
        }
        return out;
    }

    /** Forgets one event's samples; true if it had any. */
    public boolean reset(String event) {
        return events.remove(event) != null;
    }

    /** Forgets every event's samples; returns how many events had some. */
    public int resetAll() {
        int count = events.size();
        events.clear();
        return count;
    }
}
