package io.postbox.commands.scripting.lib;

import org.junit.jupiter.api.Test;

/** cmsgpack against bytes taken from Redis 7.0.15 ({@code EVAL "return cmsgpack.pack(...)" 0}). */
class CmsgpackTest extends LibraryVectors {

    @Test
    void packsIntegersInTheSmallestFormat() {
        expectHex("return cmsgpack.pack(0, 1, 127, 128, 255, 256, 65535, 65536, 4294967295, 4294967296)",
            "00017fcc80ccffcd0100cdffffce00010000ceffffffffcf0000000100000000");
        expectHex("return cmsgpack.pack(-1, -32, -33, -128, -129, -32768, -32769, -2147483648, -2147483649)",
            "ffe0d0dfd080d1ff7fd18000d2ffff7fffd280000000d3ffffffff7fffffff");
        expectHex("return cmsgpack.pack(2^53, -2^63, -0.0)", "cf0020000000000000d3800000000000000000");
    }

    @Test
    void packsOtherNumbersAsFloatWhenAFloatHoldsThemExactly() {
        expectHex("return cmsgpack.pack(2^63, 2^64, 1.5, 0.1, 1/0, -1/0, 0/0, 3.25, 1e300)",
            "ca5f000000ca5f800000ca3fc00000cb3fb999999999999aca7f800000caff800000cbfff8000000000000ca40500000cb7e37e43c8800759c");
    }

    @Test
    void packsStringsBinarySafeWithFixStr8Str16AndStr32Headers() {
        expectHex("return cmsgpack.pack('', 'a', '\\0\\128\\255')", "a0a161a30080ff");
        expectHex("return string.sub(cmsgpack.pack(string.rep('x', 31)), 1, 2)", "bf78");
        expectHex("return string.sub(cmsgpack.pack(string.rep('x', 32)), 1, 3)", "d92078");
        expectHex("return string.sub(cmsgpack.pack(string.rep('x', 255)), 1, 3)", "d9ff78");
        expectHex("return string.sub(cmsgpack.pack(string.rep('x', 256)), 1, 4)", "da010078");
        expectHex("return string.sub(cmsgpack.pack(string.rep('x', 65536)), 1, 6)", "db0001000078");
    }

    @Test
    void packsTablesWithKeysOneToNAsArraysAndOthersAsMaps() {
        expectHex("return cmsgpack.pack({}, {1,2,3}, {a=1}, {[1]=1,[3]=3}, {1,2,x=1}, true, false, nil)",
            "909301020381a1610182010103038301010202a17801c3c2c0");
        expectHex("return cmsgpack.pack({[0]=1})", "810001");
        expectHex("return cmsgpack.pack({[1.5]=1})", "81ca3fc0000001");
        expectHex("return cmsgpack.pack({[2]=1})", "810201");
        expectHex("return string.sub(cmsgpack.pack({1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16}), 1, 4)", "dc001001");
    }

    @Test
    void packsWhatMsgpackCannotHoldAndTablesSixteenDeepAsNil() {
        expectHex("return cmsgpack.pack(function() end)", "c0");
        expectHex("return cmsgpack.pack(cjson.null)", "c0");
        expectHex("return cmsgpack.pack({{{{{{{{{{{{{{{{{{1}}}}}}}}}}}}}}}}}})",
            "91919191919191919191919191919191c0");
    }

    @Test
    void packNeedsInput() {
        expect("local x = cmsgpack.pack() return x",
            "ERR: user_script:1: bad argument #0 to 'pack' (MessagePack pack needs input.)");
    }

    @Test
    void unpacksEveryFormat() {
        expect("return table.concat({cmsgpack.unpack(cmsgpack.pack(1, 2, 'x'))}, ' ')", "1 2 x");
        expect("return table.concat({cmsgpack.unpack('\\202\\63\\192\\0\\0\\203\\63\\248\\0\\0\\0\\0\\0\\0')}, ' ')", "1.5 1.5");
        expect("return cmsgpack.unpack('\\207\\255\\255\\255\\255\\255\\255\\255\\255')", "-1");
        expect("return cmsgpack.unpack('\\211\\128\\0\\0\\0\\0\\0\\0\\0')", "-9.2233720368548e+18");
        expect("return table.concat({cmsgpack.unpack('\\204\\200\\205\\1\\0\\206\\0\\1\\0\\0\\208\\200\\209\\255\\0\\210\\255\\255\\0\\0')}, ' ')",
            "200 256 65536 -56 -256 -65536");
        expect("return table.concat({cmsgpack.unpack('\\217\\1x\\218\\0\\1y\\219\\0\\0\\0\\1z')}, ' ')", "x y z");
        expect("return cjson.encode({cmsgpack.unpack('\\192\\194\\195')})", "[null,false,true]");
        expect("return cjson.encode({cmsgpack.unpack('\\220\\0\\1\\1\\221\\0\\0\\0\\1\\2\\222\\0\\1\\1\\2\\223\\0\\0\\0\\1\\3\\4')})",
            "[[1],[2],[2],[null,null,4]]");
        expect("return cjson.encode({cmsgpack.unpack('\\146\\192\\1')})", "[[null,1]]");
        expect("return cmsgpack.unpack(1)", "49");
        expect("return cmsgpack.unpack('')", "nil");
    }

    @Test
    void roundTripsBinaryStrings() {
        expect("local s = string.rep('\\0\\128\\255', 30000) return cmsgpack.unpack(cmsgpack.pack(s)) == s", "true");
    }

    @Test
    void unpackReportsTruncatedAndUnsupportedInput() {
        expect("local x = cmsgpack.unpack('\\145') return x", "ERR: user_script:1: Missing bytes in input.");
        expect("local x = cmsgpack.unpack('\\217\\5ab') return x", "ERR: user_script:1: Missing bytes in input.");
        expect("local x = cmsgpack.unpack('\\193') return x", "ERR: user_script:1: Bad data format in input.");
        expect("local x = cmsgpack.unpack('\\196\\1a') return x", "ERR: user_script:1: Bad data format in input.");
        expect("local x = cmsgpack.unpack('\\212\\5x') return x", "ERR: user_script:1: Bad data format in input.");
        expect("local x = cmsgpack.unpack('\\129\\192\\2') return x", "ERR: table index is nil");
        expect("local x = cmsgpack.unpack({}) return x",
            "ERR: user_script:1: bad argument #1 to 'unpack' (string expected, got table)");
    }

    @Test
    void unpackOneAndUnpackLimitReturnTheNextOffsetFirst() {
        expect("return table.concat({cmsgpack.unpack_one(cmsgpack.pack(1, 2, 'x'))}, ' ')", "1 1");
        expect("return table.concat({cmsgpack.unpack_one(cmsgpack.pack(1, 2, 'x'), 2)}, ' ')", "-1 x");
        expect("return table.concat({cmsgpack.unpack_limit(cmsgpack.pack(1, 2, 'x'), 2)}, ' ')", "2 1 2");
        expect("return table.concat({cmsgpack.unpack_limit(cmsgpack.pack(1, 2, 'x'), 2, 2)}, ' ')", "-1 x");
        expect("return table.concat({cmsgpack.unpack_limit(cmsgpack.pack(1, 2, 'x'), 0)}, ' ')", "1 2 x");
    }

    @Test
    void unpackOneAndUnpackLimitCheckOffsets() {
        expect("local x = cmsgpack.unpack_limit('\\1\\2\\3', -1) return x",
            "ERR: user_script:1: Invalid request to unpack with offset of 0 and limit of 3.");
        expect("local x = cmsgpack.unpack_one('\\1\\2\\3', 5) return x",
            "ERR: user_script:1: Start offset 5 greater than input length 3.");
        expect("local x = cmsgpack.unpack_one('\\1\\2', 2^32) return x",
            "ERR: user_script:1: Start offset 0 greater than input length 2.");
        expect("local x = cmsgpack.unpack_one('\\1\\2', -1) return x",
            "ERR: user_script:1: Invalid request to unpack with offset of -1 and limit of 2.");
    }

    @Test
    void describesItself() {
        expect("return cmsgpack._VERSION .. ' / ' .. cmsgpack._COPYRIGHT",
            "lua-cmsgpack 0.4.0 / Copyright (C) 2012, Salvatore Sanfilippo");
    }
}
