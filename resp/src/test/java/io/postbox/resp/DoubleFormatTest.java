package io.postbox.resp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** {@link DoubleFormat#g17} against C's {@code %.17g}, which Redis 7.0 uses for ZSCORE and friends. */
class DoubleFormatTest {

    /** Expected texts from glibc's printf, and the same from redis-server's ZSCORE (skiplist encoding). */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "0.1                     | 0.10000000000000001",
            "1.1                     | 1.1000000000000001",
            "1e-5                    | 1.0000000000000001e-05",
            "1e-4                    | 0.0001",
            "0.0001234               | 0.00012339999999999999",
            "9.999999999999999e-5    | 9.9999999999999991e-05",
            "1e16                    | 10000000000000000",
            "9.999999999999998e16    | 99999999999999984",
            "1e17                    | 1e+17",
            "123456789012345678      | 1.2345678901234568e+17",
            "12345678901234567       | 12345678901234568",
            "9223372036854775808     | 9.2233720368547758e+18",
            "0                       | 0",
            "-0.0                    | -0",
            "1                       | 1",
            "-1.5                    | -1.5",
            "100                     | 100",
            "1e100                   | 1e+100",
            "1e21                    | 1e+21",
            "0.30000000000000004     | 0.30000000000000004",
            "1.5e-7                  | 1.4999999999999999e-07",
            "-1.23456e-8             | -1.23456e-08",
            "5e-324                  | 4.9406564584124654e-324",
            "2.2250738585072014e-308 | 2.2250738585072014e-308",
            "1.7976931348623157e308  | 1.7976931348623157e+308",
            "Infinity                | inf",
            "-Infinity               | -inf",
    })
    void formatsAsPercentPoint17g(double value, String expected) {
        assertEquals(expected, DoubleFormat.g17(value));
    }

    @Test
    void nanIsNanWithItsSignAsCPrintsIt() {
        assertEquals("nan", DoubleFormat.g17(Double.longBitsToDouble(0x7ff8000000000000L)));
        assertEquals("-nan", DoubleFormat.g17(Double.longBitsToDouble(0xfff8000000000000L)));
    }

    /** Over 3000 doubles (random bit patterns, powers-of-ten boundaries, subnormals) printed by glibc. */
    @Test
    void matchesGlibcOnThousandsOfValues() throws IOException {
        int checked = 0;
        try (BufferedReader vectors = new BufferedReader(new InputStreamReader(
                Objects.requireNonNull(getClass().getResourceAsStream("g17-vectors.txt")), StandardCharsets.US_ASCII))) {
            String line;
            while ((line = vectors.readLine()) != null) {
                if (line.startsWith("#")) {
                    continue;
                }
                String[] fields = line.split(" ");
                double value = Double.longBitsToDouble(Long.parseUnsignedLong(fields[0], 16));
                assertEquals(fields[1], DoubleFormat.g17(value), fields[0]);
                assertEquals(fields[1], new String(DoubleFormat.g17Bytes(value), StandardCharsets.US_ASCII));
                checked++;
            }
        }
        assertEquals(3245, checked);
    }

    /** Expected texts from C's printf (Python's % formatting is glibc's): exact, ties to even, C's -0. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "2.00005      | 4 | 2.0000",
            "1.00005      | 4 | 1.0001",
            "0.00005      | 4 | 0.0001",
            "166274.15156 | 4 | 166274.1516",
            "-0.00001     | 4 | -0.0000",
            "-0.0         | 6 | -0.000000",
            "181          | 6 | 181.000000",
            "-181.5       | 6 | -181.500000",
            "1e22         | 4 | 10000000000000000000000.0000",
            "Infinity     | 6 | inf",
            "-Infinity    | 6 | -inf",
    })
    void fixedFormatsAsPercentPointNf(double value, int digits, String expected) {
        assertEquals(expected, DoubleFormat.fixed(value, digits));
    }

    /** The integer route of {@code fixed} must print what the exact BigDecimal route prints. */
    @Test
    void fixedPrintsTheExactValueRounded() {
        java.util.SplittableRandom random = new java.util.SplittableRandom(11);
        for (int i = 0; i < 200_000; i++) {
            double value = switch (i % 4) {
                case 0 -> Double.longBitsToDouble(random.nextLong() & 0x7fffffffffffffffL);
                case 1 -> random.nextDouble(-180, 180);
                case 2 -> random.nextDouble(0, 2e7);
                default -> random.nextInt(1_000_000) / 1e4 + 0.00005 * random.nextInt(3);
            };
            if (!Double.isFinite(value)) {
                continue;
            }
            int digits = new int[] {0, 4, 6, 17}[random.nextInt(4)];
            java.math.BigDecimal exact = new java.math.BigDecimal(Math.abs(value))
                    .setScale(digits, java.math.RoundingMode.HALF_EVEN);
            String expected = (value < 0 ? "-" : "") + exact.toPlainString();
            assertEquals(expected, DoubleFormat.fixed(value, digits), value + " %." + digits + "f");
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "13.361389338970184 | 13.36138933897018433",
            "38.1155563954963   | 38.11555639549629859",
            "-180               | -180",
            "0.5                | 0.5",
            "-0.0               | 0",
            "-1e-30             | 0",
    })
    void humanIsPercentPoint17LfTrimmed(double value, String expected) {
        assertEquals(expected, DoubleFormat.human(value));
    }

    /** Integers below 2^53 take a shortcut; it must print what the exact route prints. */
    @Test
    void integersPrintTheSameByTheShortcut() {
        java.math.MathContext seventeen = new java.math.MathContext(17, java.math.RoundingMode.HALF_EVEN);
        java.util.SplittableRandom random = new java.util.SplittableRandom(5);
        for (int i = 0; i < 100_000; i++) {
            double value = (double) random.nextLong(-(1L << 53) + 1, 1L << 53) / (1L << random.nextInt(54));
            value = Math.rint(value);
            assertEquals(DoubleFormat.g(value, seventeen), DoubleFormat.g17(value), Double.toString(value));
        }
        for (double edge : new double[] {1, -1, 9007199254740991.0, 9007199254740992.0, -9007199254740991.0,
                1e15, 1e16, 1700000000000.0, -0.0}) {
            assertEquals(DoubleFormat.g(edge, seventeen), DoubleFormat.g17(edge), Double.toString(edge));
        }
    }
}
