package io.postbox.resp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Inline splitting against redis-server 7.0.15: each line below was sent as {@code RPUSH l <line>}
 * and read back with LRANGE (or answered "unbalanced quotes in request").
 */
class InlineSplitterTest {

    @Test
    void splitsOnWhiteSpace() {
        assertSplits("a b  c", "a", "b", "c");
        assertSplits("  leading", "leading");
        assertSplits("\u000b\u000ca", "a");
        assertSplits("", new String[0]);
        assertSplits(" \t ", new String[0]);
    }

    @Test
    void onlySpaceTabCrLfEndAWord() {
        // Leading white space is C's isspace, but inside a word vertical tab and form feed are data.
        assertSplits("a\u000bb", "a\u000bb");
        assertSplits("a\u000c", "a\u000c");
        assertSplits("a\\ b", "a\\", "b");
    }

    @Test
    void doubleQuotesGroupAndUnescape() {
        assertSplits("\"a b\" c", "a b", "c");
        assertSplits("\"\"", "");
        assertSplits("\"a\" \"b\"", "a", "b");
        assertSplits("\"a\"\tb", "a", "b");
        assertSplits("\"a\"\u000bb", "a", "b");
        assertSplits("\"\\n\\r\\t\\b\\a\\z\\\\\\\"\"", "\n\r\t\b\u0007z\\\"");
        assertSplits("\"a\\\\\"", "a\\");
    }

    @Test
    void hexEscapesNeedTwoHexDigits() {
        assertSplits("\"\\x41\\x4a\\x4A\"", "AJJ");
        assertSplits("\"\\xff\\x00z\"", "\u00ff\u0000z");
        assertSplits("\"\\x4g\"", "x4g");
        assertSplits("\"\\x4\"", "x4");
        assertSplits("\"\\x\"", "x");
        assertSplits("\"\\X41\"", "X41");
    }

    @Test
    void singleQuotesOnlyUnescapeAQuote() {
        assertSplits("'a\\'b'", "a'b");
        assertSplits("'a\\nb'", "a\\nb");
        assertSplits("'\\x41'", "\\x41");
        assertSplits("''", "");
        assertSplits("'a' 'b'", "a", "b");
    }

    @Test
    void aQuoteInsideAWordStartsQuoting() {
        assertSplits("a\"b\"", "ab");
        assertSplits("a\"b c\"", "ab c");
    }

    @Test
    void bytesAboveAsciiAreData() {
        assertSplits("x\u00ffy \"\u00fe\"", "x\u00ffy", "\u00fe");
    }

    @Test
    void unbalancedQuotesAreRejected() {
        for (String line : List.of("\"a\"b", "'a'b", "\"abc", "'abc", "\"a\\\"", "'\\\\'", "\"a\"\"b\"",
                "a'b c'd", "\"\\x41")) {
            assertNull(split(line), line);
        }
    }

    @Test
    void aNulByteEndsTheLine() {
        assertSplits("a b\u0000c d", "a", "b");
        assertNull(split("\"a\u0000\""));
    }

    @Test
    void splitsTheGivenRangeOnly() {
        byte[] line = "xx\"a b\" c yy".getBytes(StandardCharsets.ISO_8859_1);
        assertEquals(List.of("a b", "c"), text(InlineSplitter.split(line, 2, 10)));
    }

    private static void assertSplits(String line, String... expected) {
        assertEquals(List.of(expected), split(line), line);
    }

    private static List<String> split(String line) {
        byte[] bytes = line.getBytes(StandardCharsets.ISO_8859_1);
        List<byte[]> words = InlineSplitter.split(bytes, 0, bytes.length);
        return words == null ? null : text(words);
    }

    private static List<String> text(List<byte[]> words) {
        List<String> text = new ArrayList<>();
        for (byte[] word : words) {
            text.add(new String(word, StandardCharsets.ISO_8859_1));
        }
        return text;
    }
}
