package io.postbox.commands.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class MemoryUnitsTest {

    @Test
    void unitsWithBAreBinaryAndWithoutAreDecimalInAnyCase() {
        assertEquals(1L << 30, MemoryUnits.parse("1gb"));
        assertEquals(1L << 30, MemoryUnits.parse("1GB"));
        assertEquals(1_000_000_000L, MemoryUnits.parse("1g"));
        assertEquals(512L << 20, MemoryUnits.parse("512mb"));
        assertEquals(1_000_000L, MemoryUnits.parse("1M"));
        assertEquals(100_000L, MemoryUnits.parse("100k"));
        assertEquals(5120L, MemoryUnits.parse("5kb"));
        assertEquals(100L, MemoryUnits.parse("100b"));
        assertEquals(100L, MemoryUnits.parse("100"));
    }

    @Test
    void emptyNumberIsZeroAsInRedis() {
        assertEquals(0L, MemoryUnits.parse(""));
        assertEquals(0L, MemoryUnits.parse("gb"));
    }

    @Test
    void signsFractionsSpacesAndUnknownUnitsAreRefused() {
        assertNull(MemoryUnits.parse("-1"));
        assertNull(MemoryUnits.parse("1.5gb"));
        assertNull(MemoryUnits.parse(" 1"));
        assertNull(MemoryUnits.parse("1zb"));
        assertNull(MemoryUnits.parse("1 gb"));
    }

    @Test
    void hugeNumbersSaturateAtTheUnsignedMaximum() {
        assertEquals(-1L, MemoryUnits.parse("18446744073709551615"));
        assertEquals(-1L, MemoryUnits.parse("18446744073709551616"));
        assertEquals("18446744073709551615", Long.toUnsignedString(MemoryUnits.parse("99999999999999999999")));
    }

    @Test
    void rewriteUsesTheLargestExactBinaryUnit() {
        assertEquals("1gb", MemoryUnits.forFile(1L << 30));
        assertEquals("100mb", MemoryUnits.forFile(100L << 20));
        assertEquals("3kb", MemoryUnits.forFile(3072));
        assertEquals("3000", MemoryUnits.forFile(3000));
        assertEquals("0", MemoryUnits.forFile(0));
    }
}
