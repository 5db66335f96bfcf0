package io.postbox.it.support;

import java.nio.charset.StandardCharsets;

/**
 * Reduces a raw reply to its shape: RESP types and aggregate sizes, no scalar values. Two replies
 * with the same shape differ only in values that may legitimately differ (ids, times, ports).
 */
public final class ReplyShape {

    private ReplyShape() {
    }

    /** The shape of a reply, or of several replies back to back. */
    public static String of(byte[] reply) {
        StringBuilder shape = new StringBuilder();
        int[] position = {0};
        while (position[0] < reply.length) {
            element(reply, position, shape);
        }
        return shape.toString();
    }

    private static void element(byte[] reply, int[] position, StringBuilder shape) {
        String line = line(reply, position);
        char type = line.charAt(0);
        switch (type) {
            case '$', '=', '!' -> {
                int length = Integer.parseInt(line.substring(1));
                shape.append(type).append(length < 0 ? "null" : "");
                if (length >= 0) {
                    position[0] += length + 2;
                }
            }
            case '*', '~', '>', '%', '|' -> {
                int count = Integer.parseInt(line.substring(1));
                shape.append(type).append(count).append('[');
                int elements = (type == '%' || type == '|') ? 2 * count : count;
                for (int i = 0; i < elements; i++) {
                    element(reply, position, shape);
                    shape.append(' ');
                }
                shape.append(']');
            }
            case '-' -> shape.append(line, 0, Math.max(1, line.indexOf(' ') < 0 ? line.length() : line.indexOf(' ')));
            default -> shape.append(type);
        }
    }

    private static String line(byte[] reply, int[] position) {
        int start = position[0];
        int end = start;
        while (!(reply[end] == '\r' && reply[end + 1] == '\n')) {
            end++;
        }
        position[0] = end + 2;
        return new String(reply, start, end - start, StandardCharsets.ISO_8859_1);
    }

    /** Reply bytes made readable for failure messages. */
    public static String printable(byte[] reply) {
        StringBuilder text = new StringBuilder();
        for (byte b : reply) {
            int c = b & 0xff;
            if (c == '\r') {
                text.append("\\r");
            } else if (c == '\n') {
                text.append("\\n");
            } else if (c < 0x20 || c >= 0x7f) {
                text.append(String.format("\\x%02x", c));
            } else {
                text.append((char) c);
            }
        }
        return text.toString();
    }
}
