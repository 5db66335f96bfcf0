package io.postbox.commands.scripting;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ScriptShaTest {

    private static ScriptSha parse(String hex) {
        return ScriptSha.parse(hex.getBytes(StandardCharsets.ISO_8859_1));
    }

    @Test
    void eitherCaseNamesTheSameScript() {
        assertEquals(parse("e0e1f9fabfc9d4800c877a703b823ac0578ff8db"), parse("E0E1F9FABFC9D4800C877A703B823AC0578FF8DB"));
        assertEquals(new ScriptSha(0x0123456789abcdefL, 0xfedcba9876543210L, 0x0f1e2d3c),
                parse("0123456789abcdefFEDCBA98765432100f1e2d3c"));
    }

    @Test
    void everyDigitCounts() {
        String sha = "e0e1f9fabfc9d4800c877a703b823ac0578ff8db";
        for (int i = 0; i < sha.length(); i++) {
            char other = sha.charAt(i) == '0' ? '1' : '0';
            assertNotEquals(parse(sha), parse(sha.substring(0, i) + other + sha.substring(i + 1)), "digit " + i);
        }
    }

    @Test
    void notFortyHexDigitsIsNoName() {
        assertNull(parse("e0e1f9fabfc9d4800c877a703b823ac0578ff8d"));
        assertNull(parse("e0e1f9fabfc9d4800c877a703b823ac0578ff8dbb"));
        assertNull(parse("g0e1f9fabfc9d4800c877a703b823ac0578ff8db"));
        assertNull(parse("e0e1f9fabfc9d4800c877a703b823ac0578ff8d:"));
        assertNull(parse("e0e1f9fabfc9d4800c87 a703b823ac0578ff8db"));
        assertNull(parse("e0e1f9fabfc9d4800c877a703b823ac0578ff8d@"));
        assertNull(parse("e0e1f9fabfc9d4800c877a703b823ac0578ff8d\u00c1"));
    }
}
