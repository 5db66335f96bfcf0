package io.postbox.commands.lists;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.postbox.commands.lists.PackedList.End;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** What a snapshot sizes a list by: stored element bytes, a sealed node counted as its node's bytes. */
class PackedListUsedBytesTest {

    /** A node of {@code count} three-byte elements, which says it occupies 1,000 bytes. */
    private record FixedSizeNode(int count) implements SealedNode {
        @Override
        public int bytes() {
            return 1_000;
        }

        @Override
        public void unpackInto(PackedList list) {
            for (int i = 0; i < count; i++) {
                list.push(End.TAIL, PackedListUsedBytesTest.bytes("e" + i % 10 + "x"));
            }
        }
    }

    @Test
    void countsElementsWithTheirLengthsAndSealedNodesAsTheirBytes() {
        PackedList list = new PackedList();
        list.push(End.TAIL, bytes("abc")); // 1 length byte + 3 + 1 backward length byte
        list.push(End.TAIL, bytes("de"));
        list.appendSealed(new FixedSizeNode(4));
        list.appendSealed(new FixedSizeNode(6));

        assertEquals(5 + 4 + 2 * 1_000, list.usedBytes());
        assertEquals(list.usedBytes(), list.copy().usedBytes(), "a copy shares the chunks' sizes");
    }

    @Test
    void aNodeUnpackedByAPopCountsAsItsElementsFromThen() {
        PackedList list = new PackedList();
        list.appendSealed(new FixedSizeNode(4));
        list.appendSealed(new FixedSizeNode(6));
        PackedList before = list.copy();

        list.pop(End.HEAD);

        assertEquals(3 * 5 + 1_000, list.usedBytes(), "three elements of 3 bytes left of the first node");
        assertEquals(2 * 1_000, before.usedBytes(), "the copy still holds both nodes sealed");
        assertEquals(10, before.size());
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }
}
