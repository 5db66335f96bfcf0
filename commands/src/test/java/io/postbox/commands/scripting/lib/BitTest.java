package io.postbox.commands.scripting.lib;

import org.junit.jupiter.api.Test;

/** bit (LuaBitOp) against results taken from Redis 7.0.15. */
class BitTest extends LibraryVectors {

    private void expectAll(String calls, String expected) {
        expect("return table.concat({" + calls + "}, ' ')", expected);
    }

    @Test
    void tobitRoundsToNearestEvenAndWrapsModulo2To32() {
        expectAll("bit.tobit(0xffffffff), bit.tobit(2^32+5), bit.tobit(-1), bit.tobit(1.5), bit.tobit(2.5), bit.tobit(-2.5)",
            "-1 5 -1 2 2 -2");
        expectAll("bit.tobit(2^52), bit.tobit(2^53+3), bit.tobit(1e100), bit.tobit(0/0), bit.tobit(1/0), bit.tobit('12')",
            "0 2 630506365 0 0 12");
        expectAll("bit.tobit('0x10'), bit.tobit(' 3 ')", "16 3");
    }

    @Test
    void bitwiseOperationsTakeAnyNumberOfArguments() {
        expectAll("bit.bnot(0), bit.band(0xff, 0x0f, 0x3), bit.bor(1, 2, 4), bit.bxor(5, 3), bit.bor(7), bit.bnot(-1.5),"
            + " bit.band(2^31, 2^31)", "-1 3 7 6 7 1 -2147483648");
    }

    @Test
    void shiftsAndRotationsUseTheLowFiveBitsOfTheCount() {
        expectAll("bit.lshift(1, 31), bit.lshift(1, 32), bit.lshift(1, 33), bit.lshift(1, -1), bit.rshift(-1, 28),"
            + " bit.arshift(-256, 4), bit.rol(0x12345678, 8), bit.ror(0x12345678, 8), bit.bswap(0x12345678),"
            + " bit.rshift(0x80000000, 0)",
            "-2147483648 1 2 -2147483648 15 -16 878082066 2014458966 2018915346 -2147483648");
    }

    @Test
    void tohexWritesTheLowDigitsUppercaseForNegativeCounts() {
        expectAll("bit.tohex(255), bit.tohex(-1), bit.tohex(255, 2), bit.tohex(255, -2), bit.tohex(0x12345678, 3),"
            + " bit.tohex(1, 9), bit.tohex(1, -9)", "000000ff ffffffff ff FF 678 00000001 00000001");
        expect("return bit.tohex(1, 0)", "");
    }

    @Test
    void argumentsMustBeNumbersCheckedFromTheLastOne() {
        expect("local x = bit.band() return x", "ERR: user_script:1: bad argument #1 to 'band' (number expected, got no value)");
        expect("local x = bit.band('x') return x", "ERR: user_script:1: bad argument #1 to 'band' (number expected, got string)");
        expect("local x = bit.band(1, 2, 'x', {}) return x",
            "ERR: user_script:1: bad argument #4 to 'band' (number expected, got table)");
        expect("local x = bit.lshift(1) return x",
            "ERR: user_script:1: bad argument #2 to 'lshift' (number expected, got no value)");
        expect("local x = bit.tohex(1, 'a') return x",
            "ERR: user_script:1: bad argument #2 to 'tohex' (number expected, got string)");
    }

    @Test
    void errorsNameTheFunctionAsTheCallerWroteIt() {
        expect("local f = bit.band local x = f('x') return x",
            "ERR: user_script:1: bad argument #1 to 'f' (number expected, got string)");
        expect("local b = bit local x = b:band() return x",
            "ERR: user_script:1: calling 'band' on bad self (number expected, got table)");
        expect("local ok, e = pcall(bit.band, 'x') return e", "bad argument #1 to '?' (number expected, got string)");
        expect("return bit.band('x')", "ERR: user_script:1: bad argument #1 to 'band' (number expected, got string)");
    }

    @Test
    void worksInsideCoroutines() {
        expect("local c = coroutine.create(function(x) local y = coroutine.yield(bit.bor(x, 8))"
            + " return bit.band(y, 3) end) local _, a = coroutine.resume(c, 1) local _, b = coroutine.resume(c, 7)"
            + " return a .. ' ' .. b", "9 3");
    }
}
