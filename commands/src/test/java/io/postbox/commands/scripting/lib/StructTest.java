package io.postbox.commands.scripting.lib;

import org.junit.jupiter.api.Test;

/** struct against bytes and results taken from Redis 7.0.15. */
class StructTest extends LibraryVectors {

    @Test
    void packsIntegersLittleEndianByDefault() {
        expectHex("return struct.pack('>i', 1)", "00000001");
        expectHex("return struct.pack('<h', -2) .. struct.pack('>H', 65535) .. struct.pack('b', -1) .. struct.pack('B', 255)",
            "feffffffffff");
        expectHex("return struct.pack('l', 1) .. struct.pack('T', 1) .. struct.pack('I', 1)",
            "0100000000000000010000000000000001000000");
        expectHex("return struct.pack('i3', 1) .. struct.pack('>i3', -2)", "010000fffffe");
        expectHex("return struct.pack('i17', 1)", "0100000000000000000000000000000000");
    }

    @Test
    void convertsNumbersToIntegersAsCDoes() {
        expectHex("return struct.pack('B', 256) .. struct.pack('i', 1.7) .. struct.pack('i', -1.7) .. struct.pack('b', 2.5)",
            "0001000000ffffffff02");
        expectHex("return struct.pack('>i8', 2^63) .. struct.pack('>i8', 2^64) .. struct.pack('>i8', 0/0)",
            "800000000000000000000000000000008000000000000000");
        expectHex("return struct.pack('>i2', 1e10) .. struct.pack('I', -1) .. struct.pack('i', '12')", "e400ffffffff0c000000");
    }

    @Test
    void packsFloatsAndDoubles() {
        expectHex("return struct.pack('f', 1.5) .. struct.pack('d', 1.5)", "0000c03f000000000000f83f");
        expectHex("return struct.pack('>f', 1e300) .. struct.pack('>f', 1e-300) .. struct.pack('>f', 0/0)"
            + " .. struct.pack('>f', 1/3) .. struct.pack('>f', 16777217) .. struct.pack('>f', 1.4e-45)",
            "7f80000000000000ffc000003eaaaaab4b80000000000001");
        expectHex("return struct.pack('>d', 0/0)", "fff8000000000000");
    }

    @Test
    void packsStringsAndPadding() {
        expectHex("return struct.pack('s', 'ab') .. struct.pack('c', 'ab') .. struct.pack('c2', 'ab') .. struct.pack('c0', 'ab')",
            "61620061616261 62".replace(" ", ""));
        expectHex("return struct.pack('s', 'a\\0b') .. struct.pack('i2x', 1)", "61006200010000");
    }

    @Test
    void alignsToTheRequestedPowerOfTwo() {
        expectHex("return struct.pack('!4 b i', 1, 2)", "0100000002000000");
        expectHex("return struct.pack('bd', 1, 2) .. '|' .. struct.pack('!bd', 1, 2) .. '|' .. struct.pack('!2bd', 1, 2)",
            "010000000000000040" + "7c" + "01000000000000000000000000000040" + "7c" + "01000000000000000040");
        expectHex("return struct.pack('bh!', 1, 2)", "010200");
        expect("local x = struct.pack('!3i', 1) return x", "ERR: user_script:1: alignment 3 is not a power of 2");
    }

    @Test
    void packReportsBadFormatsAndArguments() {
        expect("local x = struct.pack('y', 1) return x", "ERR: user_script:1: bad argument #1 to 'pack' (invalid format option 'y')");
        expect("local x = struct.pack('i33', 1) return x", "ERR: user_script:1: integral size 33 is larger than limit of 32");
        expect("local x = struct.pack('c3', 'ab') return x", "ERR: user_script:1: bad argument #3 to 'pack' (string too short)");
        expect("local x = struct.pack('i') return x", "ERR: user_script:1: bad argument #2 to 'pack' (number expected, got nil)");
        expect("local x = struct.pack('i', 'x') return x",
            "ERR: user_script:1: bad argument #2 to 'pack' (number expected, got string)");
        expect("local x = struct.pack() return x", "ERR: user_script:1: bad argument #1 to 'pack' (string expected, got no value)");
    }

    @Test
    void unpacksValuesAndTheNextPosition() {
        expect("return table.concat({struct.unpack('>i', '\\0\\0\\0\\1')}, ' ')", "1 5");
        expect("return table.concat({struct.unpack('b B', '\\255\\255')}, ' ')", "-1 255 3");
        expect("return table.concat({struct.unpack('i3', '\\255\\255\\255')}, ' ')", "-1 4");
        expect("return table.concat({struct.unpack('I3', '\\255\\255\\255')}, ' ')", "16777215 4");
        expect("return table.concat({struct.unpack('I8', string.rep('\\255', 8))}, ' ')", "1.844674407371e+19 9");
        expect("return table.concat({struct.unpack('>i8', '\\128\\0\\0\\0\\0\\0\\0\\1')}, ' ')", "-9.2233720368548e+18 9");
        expect("return table.concat({struct.unpack('i', '\\1\\0\\0\\0\\2\\0\\0\\0', 5)}, ' ')", "2 9");
        expect("return table.concat({struct.unpack('!4bi', '\\1\\0\\0\\0\\2\\0\\0\\0')}, ' ')", "1 2 9");
        expect("return struct.unpack('<i9', struct.pack('<i9', 938632340527))", "-81");
    }

    @Test
    void unpacksFloatsStringsAndCountedStrings() {
        expect("return table.concat({struct.unpack('>f', '\\63\\128\\0\\1'), (struct.unpack('>f', '\\255\\128\\0\\0'))}, ' ')",
            "1.0000001192093 -inf");
        expect("return table.concat({struct.unpack('s', 'ab\\0cd')}, ' ')", "ab 4");
        expect("return table.concat({struct.unpack('c2', 'abcd')}, ' ')", "ab 3");
        expect("return table.concat({struct.unpack('bc0', '\\2abcd')}, ' ')", "ab 4");
    }

    @Test
    void unpackReportsShortDataAndBadOffsets() {
        expect("local x = struct.unpack('i', '\\1\\0\\0') return x",
            "ERR: user_script:1: bad argument #2 to 'unpack' (data string too short)");
        expect("local x = struct.unpack('s', 'abc') return x", "ERR: user_script:1: unfinished string in data");
        expect("local x = struct.unpack('c0', 'abcd') return x", "ERR: user_script:1: format 'c0' needs a previous size");
        expect("local x = struct.unpack('i', '\\1\\0\\0\\0', 0) return x",
            "ERR: user_script:1: bad argument #3 to 'unpack' (offset must be 1 or greater)");
        expect("local x = struct.unpack('i', '\\1\\0\\0\\0', -1) return x",
            "ERR: user_script:1: bad argument #2 to 'unpack' (data string too short)");
    }

    @Test
    void sizeAddsUpFixedSizesWithAlignment() {
        expect("return table.concat({struct.size('i'), struct.size('!8bd'), struct.size('c10'), struct.size('bhilTfd'),"
            + " struct.size('y'), struct.size('x0')}, ' ')", "4 16 10 35 0 1");
        expect("local x = struct.size('s') return x",
            "ERR: user_script:1: bad argument #1 to 'size' (option 's' has no fixed size)");
        expect("local x = struct.size('c0') return x",
            "ERR: user_script:1: bad argument #1 to 'size' (option 'c0' has no fixed size)");
        expect("local x = struct.size('!0i') return x", "ERR: user_script:1: alignment 0 is not a power of 2");
    }
}
