package io.postbox.persistence.rdb;

import static io.postbox.persistence.rdb.Keyspaces.bytes;
import static io.postbox.persistence.rdb.Keyspaces.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.postbox.commands.Engine;
import io.postbox.commands.lists.PackedList;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Lists loaded with their compressed nodes sealed: what reaches into them, and what is saved of them. */
class SealedListpackTest {

    private static final int ELEMENTS = 20_000;

    @Test
    void aLoadedQueueKeepsItsNodesSealedUntilItsConsumersReachThem() throws IOException {
        PackedList list = loadedQueue(snapshotOfQueue(true));
        int nodes = list.chunkCount();
        assertTrue(nodes > 10, "the queue is written as many nodes: " + nodes);
        assertEquals(nodes, sealedNodes(list), "every compressed node loads sealed");
        assertEquals(ELEMENTS, list.size());

        assertEquals("message-0", text(list.pop(PackedList.End.HEAD)));
        assertEquals("message-19999", text(list.pop(PackedList.End.TAIL)));
        assertEquals("message-10000", text(list.get(9_999)));
        assertEquals(nodes - 3, sealedNodes(list), "only the nodes reached are unpacked");

        List<String> expected = new ArrayList<>();
        for (int i = 1; i < ELEMENTS - 1; i++) {
            expected.add("message-" + i);
        }
        assertEquals(expected, elements(list));
        assertEquals(0, sealedNodes(list));
    }

    @Test
    void sealedNodesAreSavedAsTheyWereReadOrDecompressed() throws IOException {
        byte[] original = snapshotOfQueue(true);
        List<String> expected = new ArrayList<>();
        for (int i = 1; i < ELEMENTS; i++) {
            expected.add("message-" + i);
        }
        expected.add("pushed");
        for (boolean compression : new boolean[] {true, false}) {
            Engine loaded = Keyspaces.engine();
            Keyspaces.load(loaded, original);
            PackedList list = loaded.database(0).getForWrite(bytes("queue"), PackedList.class);
            list.pop(PackedList.End.HEAD);
            list.push(PackedList.End.TAIL, bytes("pushed"));
            assertTrue(sealedNodes(list) > 10, "most nodes are still sealed when saved");
            byte[] saved = Keyspaces.snapshot(loaded, compression, true, () -> { });
            assertEquals(expected, elements(loadedQueue(saved)), "compression " + compression);
        }
    }

    @Test
    void withoutAVerifiedChecksumSealedNodesAreCheckedBeforeTheLoadEnds() throws IOException {
        byte[] file = snapshotOfQueue(false);
        miscountFirstNode(file);
        RdbFormatException error = assertThrows(RdbFormatException.class, () -> Keyspaces.load(Keyspaces.engine(), file));
        assertTrue(error.getMessage().startsWith("Listpack integrity check failed: "), error.getMessage());
        assertTrue(error.getMessage().contains("(test.rdb at offset "), error.getMessage());
    }

    @Test
    void aVerifiedChecksumVouchesForSealedNodesUntilTheyAreUnpackedUnlessSanitizing() throws IOException {
        // A file whose checksum matches a node its writer got wrong: the load trusts it, as Redis does
        // without deep sanitisation, and the node is found wrong when a command first reaches it.
        byte[] file = snapshotOfQueue(true);
        miscountFirstNode(file);
        long crc = Crc64.update(0, file, 0, file.length - 8);
        for (int i = 0; i < 8; i++) {
            file[file.length - 8 + i] = (byte) (crc >>> (8 * i));
        }
        PackedList list = loadedQueue(file);
        assertThrows(RuntimeException.class, () -> list.pop(PackedList.End.HEAD));

        Engine sanitizing = Keyspaces.engine();
        sanitizing.config().set("sanitize-dump-payload", "yes");
        RdbFormatException error = assertThrows(RdbFormatException.class, () -> Keyspaces.load(sanitizing, file));
        assertTrue(error.getMessage().startsWith("Listpack integrity check failed: "), error.getMessage());
    }

    @Test
    void aNodeBuiltAsALoadedOneIsSealedWhenItCompresses() {
        Listpack.Builder node = new Listpack.Builder();
        for (int i = 0; i < 500; i++) {
            node.add(bytes("message-" + i));
        }
        PackedList list = new PackedList();
        list.appendSealed(SealedListpack.loadedFrom(node));
        assertEquals(1, sealedNodes(list));
        assertEquals(500, list.size());
        assertEquals("message-499", text(list.pop(PackedList.End.TAIL)));
        assertEquals("message-0", text(list.get(0)));
        assertEquals(Listpack.HEADER + 1, node.size(), "the builder is empty again");

        node.add(bytes("x7Qz"));
        assertNull(SealedListpack.loadedFrom(node), "too short to be compressed");
    }

    private static byte[] snapshotOfQueue(boolean checksum) throws IOException {
        Engine engine = Keyspaces.engine();
        PackedList queue = new PackedList();
        for (int i = 0; i < ELEMENTS; i++) {
            queue.push(PackedList.End.TAIL, bytes("message-" + i));
        }
        engine.database(0).set(bytes("queue"), queue);
        return Keyspaces.snapshot(engine, true, checksum, () -> { });
    }

    private static PackedList loadedQueue(byte[] file) throws IOException {
        Engine loaded = Keyspaces.engine();
        Keyspaces.load(loaded, file);
        return loaded.database(0).getForWrite(bytes("queue"), PackedList.class);
    }

    private static List<String> elements(PackedList list) {
        List<String> all = new ArrayList<>();
        for (byte[] element : list.elements(0, list.size(), false)) {
            all.add(text(element));
        }
        return all;
    }

    private static int sealedNodes(PackedList list) {
        int sealed = 0;
        PackedList.ChunkCursor cursor = list.chunkCursor(0);
        while (cursor.hasNext()) {
            if (cursor.takeSealed() != null) {
                sealed++;
            } else {
                cursor.visitNextStored((data, start, end) -> { });
            }
        }
        return sealed;
    }

    /**
     * Adds one to the element count in the header of the first node: the header and the first element
     * are the node's first literal run (nothing precedes them to refer to), so the text of the element
     * finds them.
     */
    private static void miscountFirstNode(byte[] file) {
        byte[] first = "message-0".getBytes(StandardCharsets.US_ASCII);
        int at = indexOf(file, first);
        int count = at - 1 - 2; // the element's one-byte header, then the count's two bytes
        file[count]++;
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new AssertionError("not found");
    }
}
