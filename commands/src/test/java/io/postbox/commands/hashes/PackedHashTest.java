package io.postbox.commands.hashes;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class PackedHashTest {

    @Test
    void replacedValuesOfEveryLengthKeepTheirPlace() {
        PackedHash hash = new PackedHash();
        hash.put(b("a"), b("1"));
        hash.put(b("b"), b("2"));
        hash.put(b("c"), b("3"));
        // Lengths that take one, two and three varint bytes.
        for (int length : new int[] {0, 127, 128, 16383, 16384, 5}) {
            byte[] value = new byte[length];
            Arrays.fill(value, (byte) 'x');
            assertFalse(hash.put(b("b"), value));
            assertArrayEquals(value, hash.valueAt(hash.find(b("b"))));
            assertEquals(length, hash.valueLengthAt(hash.find(b("b"))));
            assertArrayEquals(b("3"), hash.valueAt(hash.find(b("c"))));
            assertArrayEquals(b("a"), hash.fieldAt(hash.first()));
            assertArrayEquals(b("c"), hash.fieldAt(hash.next(hash.next(hash.first()))));
        }
        assertEquals(3, hash.size());
    }

    @Test
    void fieldsAreComparedAsWholeByteStrings() {
        PackedHash hash = new PackedHash();
        assertTrue(hash.put(b("ab"), b("1")));
        assertTrue(hash.put(b("a"), b("2")));
        assertTrue(hash.put(b(""), b("3")));
        assertTrue(hash.put(new byte[] {'a', 0}, b("4")));
        assertEquals(4, hash.size());
        assertArrayEquals(b("2"), hash.valueAt(hash.find(b("a"))));
        assertArrayEquals(b("3"), hash.valueAt(hash.find(b(""))));
        assertEquals(PackedHash.NONE, hash.find(b("b")));
        assertTrue(hash.remove(b("a")));
        assertFalse(hash.remove(b("a")));
        assertArrayEquals(b("4"), hash.valueAt(hash.find(new byte[] {'a', 0})));
        assertEquals(3, hash.offsets().length);
    }

    private static byte[] b(String text) {
        return text.getBytes();
    }
}
