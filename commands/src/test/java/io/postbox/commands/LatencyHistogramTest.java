package io.postbox.commands;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
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
    @Test
    void cumulativeRowsAreAtEachDoublingWhereTheCountGrewAsRedisReportsThem() {
        LatencyHistogram histogram = new LatencyHistogram();
        for (long nanos : new long[] {1_500, 3_000, 3_000, 70_000}) {
            histogram.record(nanos);
        }
        List<long[]> rows = histogram.cumulativeByDoubling();
        // 2048 ns lands in a bucket ending at 2063, as Redis's "2" row; 131072 in one ending at 132095.
        assertEquals(List.of("2063=1", "4127=3", "132095=4"),
                rows.stream().map(row -> row[0] + "=" + row[1]).toList());
    }

    @Test
    void aSingleCallIsOneRowAtTheFirstDoublingAboveIt() {
        LatencyHistogram histogram = new LatencyHistogram();
        assertTrue(histogram.cumulativeByDoubling().isEmpty());
        histogram.record(8_000);
        List<long[]> rows = histogram.cumulativeByDoubling();
        assertEquals(1, rows.size());
        assertEquals(8, rows.get(0)[0] / 1000, "Redis replies 8 => 1 for one 8 us call");
        assertEquals(1, rows.get(0)[1]);
    }
}
