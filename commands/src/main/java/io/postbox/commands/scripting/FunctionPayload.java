package io.postbox.commands.scripting;

import io.postbox.commands.Errors;
import io.postbox.resp.ErrorReply;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The FUNCTION DUMP payload, as Redis writes and reads it, so a dump taken from one server restores on
 * the other:
 * <pre>
 *   for each library:  0xF5 (RDB_OPCODE_FUNCTION2)  RDB string: the library's code
 *   2 bytes            RDB version, little-endian (10)
 *   8 bytes            CRC-64 (Jones, reflected) of everything before, little-endian
 * </pre>
 * An RDB string is a length (6, 14, 32 or 64 bits, by the top bits of its first byte) then the bytes,
 * or an LZF-compressed string (0xC3, compressed length, length, data), or an integer; dumps are written
 * uncompressed, restores read all three.
 */
final class FunctionPayload {

    private static final int OPCODE_FUNCTION2 = 0xF5;
    private static final int OPCODE_FUNCTION_PRE_GA = 0xF6;
    private static final int RDB_VERSION = 10;
    private static final ErrorReply WRONG = Errors.err("DUMP payload version or checksum are wrong");
    private static final long[] CRC_TABLE = crcTable();

    private FunctionPayload() {
    }

    static byte[] dump(List<byte[]> codes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] code : codes) {
            out.write(OPCODE_FUNCTION2);
            writeLength(out, code.length);
            out.write(code, 0, code.length);
        }
        out.write(RDB_VERSION);
        out.write(0);
        long crc = crc64(out.toByteArray(), out.size());
        for (int i = 0; i < 8; i++) {
            out.write((int) (crc >>> (8 * i)));
        }
        return out.toByteArray();
    }

    /** The libraries' codes in {@code payload}, or Redis's error for a payload it would refuse. */
    static List<byte[]> restore(byte[] payload) {
        int end = payload.length - 10;
        if (end < 0) {
            throw WRONG;
        }
        int version = (payload[end] & 0xff) | (payload[end + 1] & 0xff) << 8;
        long crc = 0;
        for (int i = 7; i >= 0; i--) {
            crc = crc << 8 | (payload[end + 2 + i] & 0xff);
        }
        if (version > RDB_VERSION || crc64(payload, end + 2) != crc) {
            throw WRONG;
        }
        List<byte[]> codes = new ArrayList<>();
        int[] at = {0};
        while (at[0] < end) {
            int type = payload[at[0]++] & 0xff;
            if (type == OPCODE_FUNCTION_PRE_GA) {
                throw Errors.err("Pre-GA function format not supported");
            }
            if (type != OPCODE_FUNCTION2) {
                throw Errors.err("given type is not a function");
            }
            codes.add(readString(payload, at, end));
        }
        return codes;
    }

    private static void writeLength(ByteArrayOutputStream out, int length) {
        if (length < 1 << 6) {
            out.write(length);
        } else if (length < 1 << 14) {
            out.write(0x40 | length >>> 8);
            out.write(length);
        } else {
            out.write(0x80);
            for (int shift = 24; shift >= 0; shift -= 8) {
                out.write(length >>> shift);
            }
        }
    }

    private static byte[] readString(byte[] in, int[] at, int end) {
        int first = byte1(in, at, end);
        switch (first >>> 6) {
            case 0 -> {
                return bytes(in, at, first & 0x3f, end);
            }
            case 1 -> {
                return bytes(in, at, (first & 0x3f) << 8 | byte1(in, at, end), end);
            }
            case 2 -> {
                if (first != 0x80) {
                    throw WRONG;
                }
                long length = 0;
                for (int i = 0; i < 4; i++) {
                    length = length << 8 | byte1(in, at, end);
                }
                return bytes(in, at, (int) length, end);
            }
            default -> {
                int encoding = first & 0x3f;
                if (encoding == 3) {
                    int compressed = (int) readLength(in, at, end);
                    int length = (int) readLength(in, at, end);
                    byte[] packed = bytes(in, at, compressed, end);
                    return lzfDecompress(packed, length);
                }
                int width = encoding == 0 ? 1 : encoding == 1 ? 2 : 4;
                long value = 0;
                for (int i = 0; i < width; i++) {
                    value |= (long) byte1(in, at, end) << (8 * i);
                }
                value = width == 1 ? (byte) value : width == 2 ? (short) value : (int) value;
                return Long.toString(value).getBytes(StandardCharsets.US_ASCII);
            }
        }
    }

    private static long readLength(byte[] in, int[] at, int end) {
        int first = byte1(in, at, end);
        return switch (first >>> 6) {
            case 0 -> first & 0x3f;
            case 1 -> (first & 0x3f) << 8 | byte1(in, at, end);
            case 2 -> {
                long length = 0;
                for (int i = 0; i < 4; i++) {
                    length = length << 8 | byte1(in, at, end);
                }
                yield length;
            }
            default -> throw WRONG;
        };
    }

    private static int byte1(byte[] in, int[] at, int end) {
        if (at[0] >= end) {
            throw WRONG;
        }
        return in[at[0]++] & 0xff;
    }

    private static byte[] bytes(byte[] in, int[] at, int length, int end) {
        if (length < 0 || at[0] + length > end) {
            throw WRONG;
        }
        byte[] bytes = new byte[length];
        System.arraycopy(in, at[0], bytes, 0, length);
        at[0] += length;
        return bytes;
    }

    /** LZF: a control byte below 32 copies that many plus one literal bytes; above, a back reference. */
    private static byte[] lzfDecompress(byte[] in, int length) {
        byte[] out = new byte[length];
        int ip = 0;
        int op = 0;
        try {
            while (ip < in.length) {
                int ctrl = in[ip++] & 0xff;
                if (ctrl < 32) {
                    System.arraycopy(in, ip, out, op, ctrl + 1);
                    ip += ctrl + 1;
                    op += ctrl + 1;
                    continue;
                }
                int run = ctrl >>> 5;
                int ref = op - ((ctrl & 0x1f) << 8) - 1;
                if (run == 7) {
                    run += in[ip++] & 0xff;
                }
                ref -= in[ip++] & 0xff;
                run += 2;
                for (int i = 0; i < run; i++) {
                    out[op++] = out[ref++];
                }
            }
        } catch (IndexOutOfBoundsException corrupt) {
            throw WRONG;
        }
        if (op != length) {
            throw WRONG;
        }
        return out;
    }

    /** Redis's CRC-64 (Jones polynomial, reflected, no final xor) of the first {@code length} bytes. */
    static long crc64(byte[] data, int length) {
        long crc = 0;
        for (int i = 0; i < length; i++) {
            crc = CRC_TABLE[(int) ((crc ^ data[i]) & 0xff)] ^ (crc >>> 8);
        }
        return crc;
    }

    private static long[] crcTable() {
        long[] table = new long[256];
        for (int n = 0; n < 256; n++) {
            long crc = n;
            for (int k = 0; k < 8; k++) {
                crc = (crc & 1) != 0 ? (crc >>> 1) ^ 0x95ac9329ac4bc9b5L : crc >>> 1;
            }
            table[n] = crc;
        }
        return table;
    }
}
