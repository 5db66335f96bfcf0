package io.postbox.commands.keyspace;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.postbox.commands.Errors;
import io.postbox.commands.Stats;
import io.postbox.commands.config.Config;
import io.postbox.commands.sets.SetValue;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class GrowingStringTest {

    private static byte[] b(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }

    @Test
    void theArrayItStartsFromIsNeverChanged() {
        byte[] stored = b("hello");
        GrowingString string = new GrowingString(stored);
        string.write(0, b("J"));
        string.append(b(" world"));
        assertArrayEquals(b("hello"), stored);
        assertArrayEquals(b("Jello world"), string.toBytes());
    }

    @Test
    void writesPastTheEndPadWithZeroBytes() {
        GrowingString string = new GrowingString(b("ab"));
        string.append(b("cdefgh"));
        string.write(12, b("z"));
        assertArrayEquals(b("abcdefgh\0\0\0\0z"), string.toBytes());
        string.write(1, b("XY"));
        assertArrayEquals(b("aXYdefgh\0\0\0\0z"), string.toBytes());
        assertEquals(13, string.length());
    }

    @Test
    void roomDoublesBelowOneMegabyteAndGrowsByOneAbove() {
        long header = ObjectSizes.object(3);
        GrowingString small = new GrowingString(new byte[1000]);
        small.append(new byte[24]);
        assertEquals(header + ObjectSizes.byteArray(2048), small.memoryUsage(Long.MAX_VALUE));
        for (int i = 0; i < 1024; i++) {
            small.append(new byte[1]);
        }
        assertEquals(header + ObjectSizes.byteArray(2048), small.memoryUsage(Long.MAX_VALUE), "room was left");

        GrowingString large = new GrowingString(new byte[GrowingString.MAX_PREALLOC]);
        large.append(new byte[1]);
        assertEquals(header + ObjectSizes.byteArray(2 * GrowingString.MAX_PREALLOC + 1),
                large.memoryUsage(Long.MAX_VALUE));
    }

    @Test
    void appendingCostsWhatIsAppendedNotWhatIsThere() {
        GrowingString string = new GrowingString(b("x"));
        byte[] chunk = new byte[100];
        int grown = 0;
        long room = string.memoryUsage(Long.MAX_VALUE);
        for (int i = 0; i < 100_000; i++) {
            string.append(chunk);
            long now = string.memoryUsage(Long.MAX_VALUE);
            if (now != room) {
                grown++;
                room = now;
            }
        }
        assertEquals(10_000_001, string.length());
        // Doubling to 1 MB, then one more megabyte at a time: each growth copies the string once.
        assertTrue(grown < 30, grown + " growths");
    }

    @Test
    void theDatabaseSettlesItIntoAPlainArrayOnAWholeRead() {
        Database db = new Database(0, () -> 0L, new Stats(), new AccessTracking(new Config()));
        db.set(b("k"), b("12"));
        GrowingString string = db.growing(b("k"), db.getStringForWrite(b("k")));
        string.append(b("34"));
        db.modified(b("k"));
        assertSame(string, db.getString(b("k")), "partial reads leave it growing");
        assertEquals("raw", db.encoding(b("k")));
        assertEquals("string", TypedValue.typeName(db.getWithoutTouch(b("k"))));

        byte[] whole = db.get(b("k"), byte[].class);
        assertArrayEquals(b("1234"), whole);
        assertSame(whole, db.getString(b("k")));
        assertEquals("raw", db.encoding(b("k")), "a string once changed in place stays raw");

        GrowingString again = db.growing(b("k"), db.getStringForWrite(b("k")));
        assertNotSame(string, again);
        again.append(b("5"));
        assertArrayEquals(b("1234"), whole, "the settled array is never changed");
    }

    @Test
    void onlyStringsAreReadAsStrings() {
        Database db = new Database(0, () -> 0L, new Stats(), new AccessTracking(new Config()));
        db.set(b("set"), SetValue.startingWith(b("m")));
        assertSame(Errors.WRONGTYPE, assertThrows(RuntimeException.class, () -> db.getString(b("set"))));
        assertSame(Errors.WRONGTYPE, assertThrows(RuntimeException.class, () -> db.getStringForWrite(b("set"))));
    }
}
