package io.postbox.it.support;

import java.util.LinkedHashMap;
import java.util.Map;

/** The fields of an INFO reply, in their order: every {@code name:value} line; headers and the rest skipped. */
public final class InfoFields {

    private InfoFields() {
    }

    /** {@code text}, INFO's reply as Jedis returns it or as raw RESP (its bulk header has no colon). */
    public static Map<String, String> parse(String text) {
        Map<String, String> fields = new LinkedHashMap<>();
        for (String line : text.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0) {
                fields.put(line.substring(0, colon), line.substring(colon + 1));
            }
        }
        return fields;
    }
}
