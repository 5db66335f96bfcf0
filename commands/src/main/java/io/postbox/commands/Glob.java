package io.postbox.commands;

/**
 * Redis's glob matching (util.c stringmatchlen), used by KEYS, SCAN MATCH, CONFIG GET, PSUBSCRIBE and
 * COMMAND LIST: {@code *}, {@code ?}, {@code [abc]}, {@code [^a-z]}, and {@code \} to escape.
 * An unclosed {@code [} set ends at the end of the pattern, as in Redis.
 */
public final class Glob {

    private Glob() {
    }

    public static boolean matches(byte[] pattern, byte[] text, boolean ignoreCase) {
        return match(pattern, 0, text, 0, ignoreCase, new boolean[1]);
    }

    public static boolean matches(String pattern, String text, boolean ignoreCase) {
        return matches(bytes(pattern), bytes(text), ignoreCase);
    }

    /**
     * @param giveUp set when the rest of the text cannot match however much a {@code *} swallows;
     *               stops the exponential retry of nested stars, as Redis 7 does.
     */
    private static boolean match(byte[] p, int pi, byte[] s, int si, boolean nocase, boolean[] giveUp) {
        while (pi < p.length && si < s.length) {
            switch (p[pi]) {
                case '*' -> {
                    while (pi + 1 < p.length && p[pi + 1] == '*') {
                        pi++;
                    }
                    if (pi + 1 == p.length) {
                        return true;
                    }
                    for (int start = si; start < s.length; start++) {
                        if (match(p, pi + 1, s, start, nocase, giveUp)) {
                            return true;
                        }
                        if (giveUp[0]) {
                            return false;
                        }
                    }
                    giveUp[0] = true;
                    return false;
                }
                case '?' -> si++;
                case '[' -> {
                    pi++;
                    boolean not = pi < p.length && p[pi] == '^';
                    if (not) {
                        pi++;
                    }
                    boolean found = false;
                    while (true) {
                        if (pi < p.length && p[pi] == '\\' && pi + 1 < p.length) {
                            pi++;
                            found |= p[pi] == s[si];
                        } else if (pi >= p.length || p[pi] == ']') {
                            if (pi >= p.length) {
                                pi--;
                            }
                            break;
                        } else if (pi + 2 < p.length && p[pi + 1] == '-') {
                            int from = p[pi] & 0xff;
                            int to = p[pi + 2] & 0xff;
                            int c = s[si] & 0xff;
                            if (from > to) {
                                int swap = from;
                                from = to;
                                to = swap;
                            }
                            if (nocase) {
                                from = lower(from);
                                to = lower(to);
                                c = lower(c);
                            }
                            pi += 2;
                            found |= c >= from && c <= to;
                        } else {
                            found |= same(p[pi], s[si], nocase);
                        }
                        pi++;
                    }
                    if (not == found) {
                        return false;
                    }
                    si++;
                }
                case '\\' -> {
                    if (pi + 1 < p.length) {
                        pi++;
                    }
                    if (!same(p[pi], s[si], nocase)) {
                        return false;
                    }
                    si++;
                }
                default -> {
                    if (!same(p[pi], s[si], nocase)) {
                        return false;
                    }
                    si++;
                }
            }
            pi++;
        }
        while (pi < p.length && p[pi] == '*') {
            pi++;
        }
        return pi == p.length && si == s.length;
    }

    private static boolean same(byte a, byte b, boolean nocase) {
        return a == b || (nocase && lower(a & 0xff) == lower(b & 0xff));
    }

    private static int lower(int c) {
        return c >= 'A' && c <= 'Z' ? c + 32 : c;
    }

    private static byte[] bytes(String text) {
        return text.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
    }
}
