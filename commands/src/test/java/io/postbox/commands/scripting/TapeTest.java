package io.postbox.commands.scripting;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import party.iroiro.luajava.Lua;

/** Values written to the tape arrive in Lua as written, through the native layer. */
class TapeTest {

    private BridgedLua state;
    private Lua lua;
    private Tape tape;

    @BeforeEach
    void setUp() {
        state = new BridgedLua();
        lua = state.lua;
        tape = state.tape;
    }

    @AfterEach
    void tearDown() {
        state.close();
    }

    /** Runs {@code describe} (a Lua function of the pushed values) and returns what it returns. */
    private String described(int count, String describe) {
        lua.load(describe);
        lua.insert(1);
        lua.setTop(count + 1);
        lua.pCall(count, 1);
        return lua.toString(-1);
    }

    @Test
    void scalarsAndBinaryStrings() {
        tape.nil();
        tape.bool(true);
        tape.bool(false);
        tape.number(-2.5);
        tape.string(new byte[] {'a', 0, (byte) 0xff});
        tape.pushTo(lua, 5);
        String described = described(5, "return (function(a, b, c, d, e) return "
                + "tostring(a) .. ' ' .. tostring(b) .. ' ' .. tostring(c) .. ' ' .. d .. ' ' .. #e .. ' ' "
                + ".. e:byte(1) .. ',' .. e:byte(2) .. ',' .. e:byte(3) end)(...)");
        assertEquals("nil true false -2.5 3 97,0,255", described);
    }

    @Test
    void nestedAggregates() {
        tape.header(NativeLua.ARRAY, 2);
        tape.string(bytes("x"));
        tape.header(NativeLua.HASH, 2);
        tape.string(bytes("map"));
        tape.header(NativeLua.SET, 2);
        tape.string(bytes("m1"));
        tape.string(bytes("m2"));
        tape.number(7);
        tape.number(8);
        tape.pushTo(lua, 1);
        assertEquals("x true true 8", described(1,
                "local t = ... return t[1] .. ' ' .. tostring(t[2].map.m1) .. ' ' .. tostring(t[2].map.m2)"
                        + " .. ' ' .. t[2][7]"));
    }

    @Test
    void aTapeGrownPastItsSizeKeepsWhatItHeld() {
        byte[] big = new byte[100_000];
        for (int i = 0; i < big.length; i++) {
            big[i] = (byte) i;
        }
        tape.header(NativeLua.ARRAY, 3);
        for (int i = 0; i < 3; i++) {
            tape.string(big);
        }
        tape.pushTo(lua, 1);
        assertEquals("300000", described(1, "local t = ... return tostring(#t[1] + #t[2] + #t[3])"));
        byte[][] read = new byte[][] {big};
        tape.clear();
        tape.string(big);
        tape.grow(1 << 20);
        assertArrayEquals(read, tape.strings(1));
    }

    /** Strings of up to 8 bytes cross as one word (see Tape#WORD): every length, both ways, binary bytes. */
    @Test
    void stringsOfEveryLengthAroundAWordCrossIntact() {
        byte[][] strings = new byte[20][];
        StringBuilder expected = new StringBuilder();
        for (int length = 0; length < strings.length; length++) {
            strings[length] = new byte[length];
            expected.append(length).append(':');
            for (int i = 0; i < length; i++) {
                strings[length][i] = (byte) (0xff - 13 * i - length);
                expected.append(strings[length][i] & 0xff).append(',');
            }
            expected.append(' ');
            tape.string(strings[length]);
        }
        assertArrayEquals(strings, tape.strings(strings.length));
        tape.pushTo(lua, strings.length);
        assertEquals(expected.toString(), described(strings.length, "local out = '' for i = 1, select('#', ...) do "
                + "local s = select(i, ...) out = out .. #s .. ':' for j = 1, #s do out = out .. s:byte(j) .. ',' end "
                + "out = out .. ' ' end return out"));
    }

    /** The native layer may end a short string at the tape's last byte, with no word's room after it. */
    @Test
    void aShortStringEndingTheTapeIsReadWhole() {
        byte[] filling = new byte[Tape.INITIAL_BYTES - 5];
        for (int i = 0; i < filling.length; i++) {
            filling[i] = (byte) i;
        }
        tape.string(filling);
        assertEquals(Tape.INITIAL_BYTES, tape.position());
        assertArrayEquals(Arrays.copyOfRange(filling, filling.length - 3, filling.length),
                tape.bytesAt(Tape.INITIAL_BYTES - 3, 3));
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }
}
