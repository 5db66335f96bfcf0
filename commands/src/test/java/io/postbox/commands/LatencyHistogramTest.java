package io.postbox.commands;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LatencyHistogramTest {

    @Test
    void reportsTheHighestValueOfTheBucketAsRedisHdrHistogramDoes() {
        LatencyHistogram histogram = new LatencyHistogram();
        histogram.record(4000);
        assertEquals(4015, histogram.valueAtPercentile(50));
        assertEquals(4000, histogram.valueAtPercentile(0));
    }

    @Test
    void smallValuesAreExact() {
        LatencyHistogram histogram = new LatencyHistogram();
        histogram.record(100);
        assertEquals(100, histogram.valueAtPercentile(99.9));
    }

    @Test
    void percentilesSplitTheRecordedCalls() {
        LatencyHistogram histogram = new LatencyHistogram();
        for (int i = 0; i < 99; i++) {
            histogram.record(1_000);
        }
        histogram.record(1_000_000);
        assertEquals(100, histogram.count());
        assertEquals(1_003, histogram.valueAtPercentile(50));
        assertEquals(1_003, histogram.valueAtPercentile(99));
        long top = histogram.valueAtPercentile(100);
        assertTrue(top >= 1_000_000 && top < 1_010_000, "within 1%: " + top);
    }

    @Test
    void valuesBeyondOneSecondCountAsOneSecond() {
        LatencyHistogram histogram = new LatencyHistogram();
        histogram.record(5_000_000_000L);
        long value = histogram.valueAtPercentile(50);
        assertTrue(value >= 1_000_000_000L && value < 1_010_000_000L, String.valueOf(value));
    }
}
