package io.postbox.commands.scripting;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.postbox.resp.ErrorReply;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/** FUNCTION DUMP payloads: Redis's CRC-64, its empty dump, and its LZF-compressed dumps. */
class FunctionPayloadTest {

    @Test
    void crc64IsRedisJonesVariant() {
        byte[] check = "123456789".getBytes(StandardCharsets.US_ASCII);
        assertEquals(0xe9c6d914c4b8d9caL, FunctionPayload.crc64(check, check.length));
    }

    @Test
    void anEmptyDumpIsRedisOwn() {
        assertArrayEquals(HexFormat.of().parseHex("0a005d9b5c400f7fa2da"), FunctionPayload.dump(List.of()));
    }

    @Test
    void readsTheLzfCompressedDumpRedisWrites() {
        // FUNCTION DUMP from Redis 7.0.15 of one library, LZF-compressed (0xC3).
        byte[] fromRedis = HexFormat.of().parseHex("f5c3404c40b21f23216c7561206e616d653d7a0a72656469732e72656769737465725f"
                + "66756e630974696f6e282766272c20e0000d15292072657475726e203120656e64290a2d2d20616263e05e020162630a003d"
                + "4016281e3e6551");
        String code = "#!lua name=z\nredis.register_function('f', function() return 1 end)\n-- " + "abcabcabc".repeat(12);
        List<byte[]> codes = FunctionPayload.restore(fromRedis);
        assertEquals(1, codes.size());
        assertEquals(code, new String(codes.get(0), StandardCharsets.US_ASCII));
    }

    @Test
    void aDumpRestoresToTheSameCodes() {
        List<byte[]> codes = List.of("#!lua name=a\n".getBytes(StandardCharsets.US_ASCII), new byte[300], new byte[20000]);
        List<byte[]> restored = FunctionPayload.restore(FunctionPayload.dump(codes));
        assertEquals(3, restored.size());
        for (int i = 0; i < codes.size(); i++) {
            assertArrayEquals(codes.get(i), restored.get(i));
        }
    }

    @Test
    void refusesATamperedPayload() {
        byte[] payload = FunctionPayload.dump(List.of("#!lua name=x\nredis.register_function('f', function() end)"
                .getBytes(StandardCharsets.US_ASCII)));
        payload[3] ^= 1;
        ErrorReply error = assertThrows(ErrorReply.class, () -> FunctionPayload.restore(payload));
        assertEquals("ERR DUMP payload version or checksum are wrong", error.text());
    }

}
