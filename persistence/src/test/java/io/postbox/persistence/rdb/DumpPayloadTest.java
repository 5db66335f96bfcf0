package io.postbox.persistence.rdb;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.postbox.commands.config.Config;
import io.postbox.commands.lists.PackedList;
import io.postbox.resp.ErrorReply;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class DumpPayloadTest {

    private final DumpPayload payloads = new DumpPayload(new Config());

    @Test
    void aStringDumpsAsRedisDumpsIt() {
        // DUMP of "hello" from redis-server 7.0.15.
        byte[] redis = bytes("\u0000\u0005hello\n\u0000cr\u00dfve4 \n");

        assertArrayEquals(redis, payloads.dump(bytes("hello")));
        assertArrayEquals(bytes("hello"), (byte[]) payloads.restore(redis));
    }

    @Test
    void aListOfManyNodesAndCompressibleElementsRoundTrips() {
        PackedList list = new PackedList(256);
        for (int i = 0; i < 5_000; i++) {
            list.push(PackedList.End.TAIL, bytes(i % 7 == 0 ? "compress me ".repeat(10) + i : "element-" + i));
        }

        PackedList restored = (PackedList) payloads.restore(payloads.dump(list));

        assertEquals(list.size(), restored.size());
        List<byte[]> expected = list.elements(0, list.size(), false);
        List<byte[]> actual = restored.elements(0, restored.size(), false);
        for (int i = 0; i < expected.size(); i++) {
            assertArrayEquals(expected.get(i), actual.get(i), "element " + i);
        }
    }

    @Test
    void aPayloadWithAWrongChecksumOrANewerVersionIsRefused() {
        byte[] payload = payloads.dump(bytes("hello"));
        byte[] flipped = payload.clone();
        flipped[3] ^= 1;
        byte[] newer = payload.clone();
        newer[payload.length - 10] = 11;

        for (byte[] wrong : List.of(flipped, newer, Arrays.copyOf(payload, 9), new byte[0])) {
            ErrorReply error = assertThrows(ErrorReply.class, () -> payloads.restore(wrong));
            assertEquals("ERR DUMP payload version or checksum are wrong", error.text());
        }
    }

    @Test
    void anEmptyListOrAnUnknownTypeIsBadData() {
        for (int type : new int[] {RdbFormat.TYPE_LIST_QUICKLIST_2, 0x30}) {
            byte[] body = {(byte) type, 0, (byte) RdbFormat.VERSION, 0};
            ErrorReply error = assertThrows(ErrorReply.class, () -> payloads.restore(withChecksum(body)));
            assertEquals("ERR Bad data format", error.text());
        }
    }

    private static byte[] withChecksum(byte[] body) {
        long crc = Crc64.update(0, body, 0, body.length);
        byte[] payload = Arrays.copyOf(body, body.length + 8);
        for (int i = 0; i < 8; i++) {
            payload[body.length + i] = (byte) (crc >>> (8 * i));
        }
        return payload;
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }
}
