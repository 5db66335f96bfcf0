package io.postbox.server;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.zone.ZoneOffsetTransition;

/**
 * Redis's log timestamp, {@code 22 Nov 2026 08:21:21.272} in the local time zone, by arithmetic on
 * the clock within a span of one date and one zone offset, computed once per span. The log writes few
 * lines, so its code runs interpreted: a {@link java.time.format.DateTimeFormatter} took about 0.4 ms
 * a line there, on the executor, where a BGSAVE logs as it starts. Not thread-safe.
 */
final class LogTimestamp {

    private static final String[] MONTHS =
            {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    private static final long DAY_MILLIS = 86_400_000;

    private final ZoneId zone;
    /** The span the fields below hold for: {@code [spanStart, spanEnd)} in epoch milliseconds. */
    private long spanStart = Long.MAX_VALUE;
    private long spanEnd = Long.MIN_VALUE;
    private long offsetMillis;
    /** {@code "22 Nov 2026 "}. */
    private String date;

    LogTimestamp(ZoneId zone) {
        this.zone = zone;
    }

    /** Appends the time {@code epochMillis} to {@code line}. */
    void appendTo(StringBuilder line, long epochMillis) {
        if (epochMillis < spanStart || epochMillis >= spanEnd) {
            startSpan(epochMillis);
        }
        long ofDay = Math.floorMod(epochMillis + offsetMillis, DAY_MILLIS);
        line.append(date);
        twoDigits(line, ofDay / 3_600_000).append(':');
        twoDigits(line, ofDay / 60_000 % 60).append(':');
        twoDigits(line, ofDay / 1000 % 60).append('.');
        long millis = ofDay % 1000;
        line.append(millis < 100 ? (millis < 10 ? "00" : "0") : "").append(millis);
    }

    /** The span of {@code epochMillis}: until the next local midnight, or offset change if sooner. */
    private void startSpan(long epochMillis) {
        Instant now = Instant.ofEpochMilli(epochMillis);
        ZonedDateTime local = now.atZone(zone);
        offsetMillis = local.getOffset().getTotalSeconds() * 1000L;
        LocalDate day = local.toLocalDate();
        long nextDay = day.plusDays(1).atStartOfDay(zone).toInstant().toEpochMilli();
        ZoneOffsetTransition change = zone.getRules().nextTransition(now);
        spanStart = epochMillis;
        spanEnd = change == null ? nextDay : Math.min(nextDay, change.toEpochSecond() * 1000);
        StringBuilder text = new StringBuilder(12);
        twoDigits(text, day.getDayOfMonth()).append(' ').append(MONTHS[day.getMonthValue() - 1]).append(' ');
        date = text.append(day.getYear()).append(' ').toString();
    }

    private static StringBuilder twoDigits(StringBuilder line, long value) {
        return line.append(value < 10 ? "0" : "").append(value);
    }
}
