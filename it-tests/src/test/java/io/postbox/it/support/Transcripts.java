package io.postbox.it.support;

import java.util.Map;

/**
 * Transcripts of side-by-side scripts (what each step read, by step), rendered one step to a line pair
 * so that an assertion's diff shows the first step where two servers part.
 */
public final class Transcripts {

    private Transcripts() {
    }

    /** Each step, then what it read indented on the next line, with CRLF shown as {@code \r\n}. */
    public static String render(Map<String, String> transcript) {
        StringBuilder text = new StringBuilder();
        transcript.forEach((step, read) -> text.append(step).append("\n    ")
                .append(read.replace("\r\n", "\\r\\n")).append('\n'));
        return text.toString();
    }
}
