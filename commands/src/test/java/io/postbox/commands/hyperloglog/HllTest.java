package io.postbox.commands.hyperloglog;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.postbox.commands.keyspace.GrowingString;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class HllTest {

    private static byte[] b(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static byte[] registers(GrowingString hll) {
        byte[] registers = new byte[Hll.REGISTERS];
        assertTrue(Hll.mergeInto(registers, hll.buffer(), hll.length()));
        return registers;
    }

    @Test
    void anEmptyHllIsOneZeroRunAndCountsZero() {
        byte[] empty = Hll.empty();
        assertTrue(Hll.isHll(empty, empty.length));
        assertEquals("Z:16384", Hll.decode(empty, empty.length));
        assertEquals(0, Hll.estimate(Hll.histogram(empty, empty.length)));
    }

    @Test
    void sparseAndDenseHoldTheSameRegistersAndEstimates() {
        GrowingString sparse = GrowingString.owning(Hll.empty());
        GrowingString dense = GrowingString.owning(Hll.empty());
        assertTrue(Hll.toDense(dense));
        for (int i = 0; i < 2_000; i++) {
            byte[] element = b("element:" + i);
            assertEquals(Hll.add(dense, element, 3000), Hll.add(sparse, element, Long.MAX_VALUE), "element " + i);
        }
        assertFalse(Hll.isDense(sparse.buffer()), "never outgrew its limit");
        assertArrayEquals(registers(dense), registers(sparse));
        assertEquals(Hll.estimate(Hll.histogram(dense.buffer(), dense.length())),
                Hll.estimate(Hll.histogram(sparse.buffer(), sparse.length())));
        assertTrue(Hll.toDense(sparse));
        assertArrayEquals(dense.toBytes(), sparse.toBytes());
    }

    @Test
    void aSparseHllTurnsDenseAtItsSizeLimitWithoutLosingARegister() {
        GrowingString limited = GrowingString.owning(Hll.empty());
        GrowingString unlimited = GrowingString.owning(Hll.empty());
        for (int i = 0; i < 500; i++) {
            Hll.add(limited, b("x" + i), 200);
            Hll.add(unlimited, b("x" + i), Long.MAX_VALUE);
        }
        assertTrue(Hll.isDense(limited.buffer()));
        assertEquals(Hll.DENSE_SIZE, limited.length());
        assertArrayEquals(registers(unlimited), registers(limited));
    }

    @Test
    void estimatesStayWithinTheStandardError() {
        GrowingString hll = GrowingString.owning(Hll.empty());
        for (int i = 0; i < 200_000; i++) {
            Hll.add(hll, b("user-" + i), 3000);
        }
        long estimate = Hll.estimate(Hll.histogram(hll.buffer(), hll.length()));
        // 0.81% standard error with 16384 registers: 3% is more than three of them.
        assertTrue(Math.abs(estimate - 200_000) < 6_000, "estimate " + estimate);
    }

    @Test
    void brokenRunsAreReportedNotTrusted() {
        byte[] bytes = Hll.empty();
        bytes[Hll.HEADER + 1] = 0; // the XZERO now covers 16129 registers
        assertNull(Hll.histogram(bytes, bytes.length));
        assertFalse(Hll.mergeInto(new byte[Hll.REGISTERS], bytes, bytes.length));
        assertFalse(Hll.toDense(GrowingString.owning(bytes)));
    }
}
