package io.postbox.commands.sets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class IntSetTest {

    @Test
    void widensForAValueBelowOrAboveAllAndKeepsOrder() {
        IntSet set = new IntSet();
        assertTrue(set.add(5));
        assertTrue(set.add(-3));
        assertEquals(2, set.capacity() / set.size(), "two bytes per small element");
        assertTrue(set.add(Integer.MAX_VALUE + 1L));
        assertTrue(set.add(Long.MIN_VALUE));
        assertFalse(set.add(5));
        assertEquals(4, set.size());
        assertEquals(Long.MIN_VALUE, set.get(0));
        assertEquals(-3, set.get(1));
        assertEquals(5, set.get(2));
        assertEquals(Integer.MAX_VALUE + 1L, set.get(3));
        assertTrue(set.remove(Long.MIN_VALUE));
        assertFalse(set.contains(Long.MIN_VALUE));
        assertTrue(set.contains(-3));
    }

    @Test
    void smallNumbersTakeTwoBytesEach() {
        IntSet set = new IntSet();
        for (int i = 0; i < 512; i++) {
            set.add(i * 7 - 1000);
        }
        assertEquals(512, set.size());
        assertTrue(set.capacity() <= 512 * 2 * 3 / 2, "capacity " + set.capacity());
        assertFalse(set.contains(Short.MAX_VALUE + 1L), "a value wider than the set is not in it");
        assertFalse(set.remove(Long.MAX_VALUE));
    }
}
