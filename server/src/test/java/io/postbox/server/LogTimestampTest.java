package io.postbox.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.zone.ZoneOffsetTransition;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The log's timestamps against java.time's formatter, around midnights and offset changes. */
class LogTimestampTest {

    private static final DateTimeFormatter REDIS_FORMAT =
            DateTimeFormatter.ofPattern("dd MMM yyyy HH:mm:ss.SSS", Locale.ROOT);

    @ParameterizedTest
    @ValueSource(strings = {"UTC", "Europe/Berlin", "America/St_Johns", "Asia/Kathmandu", "Australia/Lord_Howe"})
    void matchesTheFormatterAroundEveryOffsetChangeOfAYear(String zoneName) {
        ZoneId zone = ZoneId.of(zoneName);
        LogTimestamp timestamp = new LogTimestamp(zone);
        Instant from = Instant.parse("2026-01-01T00:00:00Z");
        Instant to = Instant.parse("2027-01-01T00:00:00Z");
        for (ZoneOffsetTransition change = zone.getRules().nextTransition(from);
                change != null && change.getInstant().isBefore(to);
                change = zone.getRules().nextTransition(change.getInstant())) {
            long at = change.toEpochSecond() * 1000;
            for (long millis = at - 2_000; millis < at + 2_000; millis += 7) {
                assertSame(zone, timestamp, millis);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"UTC", "Europe/Berlin", "America/St_Johns", "Asia/Kathmandu", "Australia/Lord_Howe"})
    void matchesTheFormatterOnAClockThatRunsForwardAndBack(String zoneName) {
        ZoneId zone = ZoneId.of(zoneName);
        LogTimestamp timestamp = new LogTimestamp(zone);
        Random random = new Random(zoneName.hashCode());
        long millis = Instant.parse("2026-11-22T23:59:00Z").toEpochMilli();
        for (int i = 0; i < 20_000; i++) {
            // Mostly small steps forward (across the midnights of the zones near UTC), now and then a jump.
            millis += random.nextInt(10) == 0 ? random.nextLong() % (40L * 86_400_000) : random.nextInt(50_000);
            assertSame(zone, timestamp, millis);
        }
    }

    private static void assertSame(ZoneId zone, LogTimestamp timestamp, long millis) {
        StringBuilder line = new StringBuilder();
        timestamp.appendTo(line, millis);
        assertEquals(REDIS_FORMAT.format(Instant.ofEpochMilli(millis).atZone(zone)), line.toString(), "at " + millis);
    }
}
