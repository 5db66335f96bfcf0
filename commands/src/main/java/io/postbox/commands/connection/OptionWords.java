package io.postbox.commands.connection;

import io.postbox.commands.Ascii;
import io.postbox.commands.Invocation;
import java.nio.charset.StandardCharsets;

/**
 * Arguments read as Redis reads option words, as C strings: compared with strcasecmp and printed with
 * %s, so both stop at a NUL byte ({@code CLIENT REPLY "on\0x"} is ON; the text shown for
 * {@code HELLO 3 "x\0y"} is {@code x}).
 */
final class OptionWords {

    private OptionWords() {
    }

    /** Whether argument {@code i} is {@code lowerWord}, in any ASCII case, up to a NUL byte. */
    static boolean is(Invocation call, int i, String lowerWord) {
        return Ascii.equalsIgnoreCaseUpToNul(call.arg(i), lowerWord);
    }

    /** The bytes before the first NUL, one char per byte: how Redis's messages print an argument. */
    static String text(byte[] bytes) {
        int end = 0;
        while (end < bytes.length && bytes[end] != 0) {
            end++;
        }
        return new String(bytes, 0, end, StandardCharsets.ISO_8859_1);
    }
}
