package io.postbox.persistence.rdb;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.postbox.commands.config.Config;
import io.postbox.commands.lists.PackedList;
import io.postbox.resp.ErrorReply;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class DumpPayloadTest {

    /** Why payloads were refused, as the server log gets it. */
    private final List<String> refusals = new ArrayList<>();
    private final DumpPayload payloads = new DumpPayload(new Config(), refusals::add);

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
        assertEquals(List.of("RESTORE payload refused: An empty value (DUMP payload at offset 2)",
                "RESTORE payload refused: Unknown RDB type 48 (DUMP payload at offset 1)"), refusals);
    }

    /**
     * Redis's DUMP of a list of 40 elements in one LZF-compressed node, its count made 41 and its checksum
     * made again: refused, though sanitize-dump-payload is no (Redis would take it).
     */
    @Test
    void aCompressedListNodeThatMiscountsItsElementsIsBadData() {
        byte[] payload = HexFormat.of().parseHex("120102c33640a70ca70000002900826d3003826d3120030032200300332003003420"
                + "030035200300362003003720030038200300392003e06c270103ff0a00f9819f6e8315f8a3");

        ErrorReply error = assertThrows(ErrorReply.class, () -> payloads.restore(payload));
        assertEquals("ERR Bad data format", error.text());
        assertEquals(List.of("RESTORE payload refused: Listpack integrity check failed: listpack end or element count "
                + "is wrong (DUMP payload at offset 3)"), refusals);
    }

    /**
     * A stream from Redis's corrupt-dump tests whose entry element count ("lp-count") is wrong, restored
     * with its checksum skipped: refused, though sanitize-dump-payload is no (Redis takes it, and then
     * fails an assertion walking the node backwards on XREVRANGE).
     */
    @Test
    void aStreamEntryThatMiscountsItsElementsIsBadData() {
        byte[] payload = HexFormat.of().parseHex("0f011000000173dedf7d9b000000000000000040424200000018000301000102"
                + "01846974656d058576616c75650600010201000100010101000156010201220100010101825f3103050102012c010001"
                + "010102010501ff038100000173dedf7dc70001076d7967726f75708100000173dedf7d9b000100000173dedf7d9b0000"
                + "000000000000f97ddfde73010000010105416c696365eb7ddfde730100000100000173dedf7d9b000000000000000009"
                + "00b2a8a75f1b6172d5");
        payloads.skipChecksums(true);

        ErrorReply error = assertThrows(ErrorReply.class, () -> payloads.restore(payload));
        assertEquals("ERR Bad data format", error.text());
    }

    @Test
    void anEmptyFunctionDumpIsRedisOwn() {
        assertArrayEquals(HexFormat.of().parseHex("0a005d9b5c400f7fa2da"), payloads.dumpLibraries(List.of()));
    }

    @Test
    void readsTheLzfCompressedFunctionDumpRedisWrites() {
        // FUNCTION DUMP from redis-server 7.0.15 of one library, LZF-compressed (0xC3).
        byte[] fromRedis = HexFormat.of().parseHex("f5c3404c40b21f23216c7561206e616d653d7a0a72656469732e7265"
                + "6769737465725f66756e630974696f6e282766272c20e0000d15292072657475726e203120656e64290a2d2d2061"
                + "6263e05e020162630a003d4016281e3e6551");
        String code = "#!lua name=z\nredis.register_function('f', function() return 1 end)\n-- "
                + "abcabcabc".repeat(12);

        List<byte[]> codes = payloads.restoreLibraries(fromRedis);

        assertEquals(1, codes.size());
        assertEquals(code, new String(codes.get(0), StandardCharsets.US_ASCII));
    }

    @Test
    void aFunctionDumpRestoresToTheSameCodes() {
        List<byte[]> codes = List.of(bytes("#!lua name=a\n"), new byte[300], bytes("-- abc".repeat(5000)));

        List<byte[]> restored = payloads.restoreLibraries(payloads.dumpLibraries(codes));

        assertEquals(codes.size(), restored.size());
        for (int i = 0; i < codes.size(); i++) {
            assertArrayEquals(codes.get(i), restored.get(i));
        }
    }

    @Test
    void aFunctionDumpOfAnotherTypeOrTamperedWithIsRefused() {
        byte[] flipped = payloads.dumpLibraries(
                List.of(bytes("#!lua name=x\nredis.register_function('f', function() end)")));
        flipped[3] ^= 1;
        ErrorReply tampered = assertThrows(ErrorReply.class, () -> payloads.restoreLibraries(flipped));
        assertEquals("ERR DUMP payload version or checksum are wrong", tampered.text());

        byte[] aString = payloads.dump(bytes("x"));
        ErrorReply notLibraries = assertThrows(ErrorReply.class, () -> payloads.restoreLibraries(aString));
        assertEquals("ERR given type is not a function", notLibraries.text());
    }

    @Test
    void aPreGaFunctionDumpOrATruncatedLibraryIsRefused() {
        byte[] preGa = withChecksum(new byte[] {(byte) RdbFormat.OPCODE_FUNCTION_PRE_GA, 1, 'x', RdbFormat.VERSION, 0});
        ErrorReply old = assertThrows(ErrorReply.class, () -> payloads.restoreLibraries(preGa));
        assertEquals("ERR Pre-GA function format not supported", old.text());

        // A library code announced as 5 bytes, of which 1 follows.
        byte[] truncated = withChecksum(new byte[] {(byte) RdbFormat.OPCODE_FUNCTION2, 5, 'x', RdbFormat.VERSION, 0});
        ErrorReply error = assertThrows(ErrorReply.class, () -> payloads.restoreLibraries(truncated));
        assertEquals("ERR DUMP payload version or checksum are wrong", error.text());
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
