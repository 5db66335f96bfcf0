package io.postbox.it.support;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A raw reply parsed into a tree that keeps every byte, so a test can rewrite part of it (drop a map
 * entry, sort an array) and write it back to compare with another server's reply byte for byte.
 * {@code line} is the text after the type byte (a simple string, a number, a length); a bulk or
 * verbatim string keeps its content in {@code data}; an aggregate keeps its elements, a map's keys and
 * values alternating.
 */
public record RespValue(char type, String line, byte[] data, List<RespValue> elements) {

    public static RespValue parse(byte[] reply) {
        int[] position = {0};
        RespValue value = read(reply, position);
        if (position[0] != reply.length) {
            throw new IllegalArgumentException("trailing bytes after reply: " + ReplyShape.printable(reply));
        }
        return value;
    }

    /** Values written one after another, as an append-only file holds its commands. */
    public static List<RespValue> parseAll(byte[] bytes) {
        List<RespValue> values = new ArrayList<>();
        int[] position = {0};
        while (position[0] < bytes.length) {
            values.add(read(bytes, position));
        }
        return values;
    }

    public boolean isAggregate() {
        return elements != null;
    }

    /** The content of a bulk, verbatim or simple string, as one char per byte. */
    public String text() {
        return data != null ? new String(data, StandardCharsets.ISO_8859_1) : line;
    }

    public RespValue element(int index) {
        return elements.get(index);
    }

    /** The same aggregate with other elements; a map keeps counting pairs. */
    public RespValue withElements(List<RespValue> newElements) {
        int count = type == '%' ? newElements.size() / 2 : newElements.size();
        return new RespValue(type, Integer.toString(count), null, List.copyOf(newElements));
    }

    /** The value under {@code key} in a map, or in a RESP2 array of alternating keys and values; null if absent. */
    public RespValue get(String key) {
        for (int i = 0; i + 1 < elements.size(); i += 2) {
            if (elements.get(i).text().equals(key)) {
                return elements.get(i + 1);
            }
        }
        return null;
    }

    public byte[] toBytes() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        write(out);
        return out.toByteArray();
    }

    @Override
    public String toString() {
        return ReplyShape.printable(toBytes());
    }

    private void write(ByteArrayOutputStream out) {
        out.write(type);
        out.writeBytes(line.getBytes(StandardCharsets.ISO_8859_1));
        out.writeBytes(new byte[] {'\r', '\n'});
        if (data != null) {
            out.writeBytes(data);
            out.writeBytes(new byte[] {'\r', '\n'});
        }
        if (elements != null) {
            elements.forEach(element -> element.write(out));
        }
    }

    private static RespValue read(byte[] reply, int[] position) {
        int start = position[0];
        int end = start;
        while (!(reply[end] == '\r' && reply[end + 1] == '\n')) {
            end++;
        }
        position[0] = end + 2;
        char type = (char) reply[start];
        String line = new String(reply, start + 1, end - start - 1, StandardCharsets.ISO_8859_1);
        switch (type) {
            case '$', '=', '!' -> {
                int length = Integer.parseInt(line);
                if (length < 0) {
                    return new RespValue(type, line, null, null);
                }
                byte[] data = Arrays.copyOfRange(reply, position[0], position[0] + length);
                position[0] += length + 2;
                return new RespValue(type, line, data, null);
            }
            case '*', '~', '>', '%' -> {
                int count = Integer.parseInt(line);
                if (count < 0) {
                    return new RespValue(type, line, null, null);
                }
                int total = type == '%' ? 2 * count : count;
                List<RespValue> elements = new ArrayList<>(total);
                for (int i = 0; i < total; i++) {
                    elements.add(read(reply, position));
                }
                return new RespValue(type, line, null, elements);
            }
            default -> {
                return new RespValue(type, line, null, null);
            }
        }
    }
}
