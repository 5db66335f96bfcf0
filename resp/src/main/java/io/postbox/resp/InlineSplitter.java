package io.postbox.resp;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits an inline command line into arguments exactly as Redis's {@code sdssplitargs} does:
 * words separated by white space, double quotes with {@code \xHH}, {@code \n}, {@code \r},
 * {@code \t}, {@code \b}, {@code \a} escapes, single quotes with only {@code \'}, and a closing
 * quote that must be followed by white space or the end of the line. A NUL byte ends the line,
 * as it ends the C string Redis splits.
 */
public final class InlineSplitter {

    private InlineSplitter() {
    }

    /** The arguments of {@code line[from, to)}, or {@code null} if its quotes are unbalanced. */
    public static List<byte[]> split(byte[] line, int from, int to) {
        for (int i = from; i < to; i++) {
            if (line[i] == 0) {
                to = i;
                break;
            }
        }
        List<byte[]> args = new ArrayList<>();
        int p = from;
        while (true) {
            while (p < to && isSpace(line[p])) {
                p++;
            }
            if (p >= to) {
                return args;
            }
            ByteArrayOutputStream current = new ByteArrayOutputStream();
            boolean inDouble = false;
            boolean inSingle = false;
            boolean done = false;
            while (!done) {
                int c = p < to ? line[p] : 0;
                int next = p + 1 < to ? line[p + 1] : 0;
                if (inDouble) {
                    if (c == '\\' && next == 'x' && isHex(at(line, p + 2, to)) && isHex(at(line, p + 3, to))) {
                        current.write(hex(line[p + 2]) * 16 + hex(line[p + 3]));
                        p += 3;
                    } else if (c == '\\' && next != 0) {
                        p++;
                        current.write(unescape(next));
                    } else if (c == '"') {
                        if (next != 0 && !isSpace(next)) {
                            return null;
                        }
                        done = true;
                    } else if (c == 0) {
                        return null;
                    } else {
                        current.write(c);
                    }
                } else if (inSingle) {
                    if (c == '\\' && next == '\'') {
                        p++;
                        current.write('\'');
                    } else if (c == '\'') {
                        if (next != 0 && !isSpace(next)) {
                            return null;
                        }
                        done = true;
                    } else if (c == 0) {
                        return null;
                    } else {
                        current.write(c);
                    }
                } else {
                    switch (c) {
                        case ' ', '\n', '\r', '\t', 0 -> done = true;
                        case '"' -> inDouble = true;
                        case '\'' -> inSingle = true;
                        default -> current.write(c);
                    }
                }
                if (p < to) {
                    p++;
                }
            }
            args.add(current.toByteArray());
        }
    }

    private static int at(byte[] line, int index, int to) {
        return index < to ? line[index] : 0;
    }

    private static int unescape(int c) {
        return switch (c) {
            case 'n' -> '\n';
            case 'r' -> '\r';
            case 't' -> '\t';
            case 'b' -> '\b';
            case 'a' -> 7;
            default -> c;
        };
    }

    /** C's isspace in the "C" locale. */
    private static boolean isSpace(int c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == 0x0b || c == '\f';
    }

    private static boolean isHex(int c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }

    private static int hex(int c) {
        if (c <= '9') {
            return c - '0';
        }
        return (c | 0x20) - 'a' + 10;
    }
}
