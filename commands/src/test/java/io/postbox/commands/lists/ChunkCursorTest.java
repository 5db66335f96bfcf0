package io.postbox.commands.lists;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChunkCursorTest {

    @Test
    void aCopyVisitsTheChunksLeftAndMovesIndependently() {
        PackedList list = new PackedList(32);
        for (int i = 0; i < 100; i++) {
            list.push(PackedList.End.TAIL, ("element-" + i).getBytes(StandardCharsets.ISO_8859_1));
        }
        assertTrue(list.chunkCount() > 10, "chunks: " + list.chunkCount());
        PackedList.ChunkCursor cursor = list.chunkCursor(0);
        cursor.visitNext((data, offset, length) -> { });
        PackedList.ChunkCursor stretch = cursor.take(3);
        PackedList.ChunkCursor copy = stretch.copy();

        List<String> first = elements(stretch);
        assertFalse(stretch.hasNext());
        assertTrue(copy.hasNext(), "the copy stays where the stretch was");
        assertEquals(first, elements(copy));
        assertEquals(elements(list.chunkCursor(1).take(3)), first);
        assertFalse(copy.hasNext());
    }

    private static List<String> elements(PackedList.ChunkCursor cursor) {
        List<String> seen = new ArrayList<>();
        PackedList.ElementVisitor collect = (data, offset, length) ->
                seen.add(new String(data, offset, length, StandardCharsets.ISO_8859_1));
        while (cursor.hasNext()) {
            cursor.visitNext(collect);
        }
        return seen;
    }
}
