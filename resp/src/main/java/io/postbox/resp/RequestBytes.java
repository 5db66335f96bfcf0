package io.postbox.resp;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A decoded request as the bytes it takes in RESP: what it counts toward a query buffer while it is
 * held back unparsed in Redis, and what a log line shows of it.
 */
public final class RequestBytes {

    private RequestBytes() {
    }

    /** The length of {@code args} as a RESP array of bulk strings. */
    public static long size(byte[][] args) {
        long size = 3 + decimalDigits(args.length);
        for (byte[] arg : args) {
            size += 5 + decimalDigits(arg.length) + arg.length;
        }
        return size;
    }

    /** The first {@code max} bytes (or fewer) of {@code args} as a RESP array of bulk strings. */
    public static byte[] head(byte[][] args, int max) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(("*" + args.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
        for (int i = 0; i < args.length && out.size() < max; i++) {
            out.writeBytes(("$" + args[i].length + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(args[i], 0, Math.min(args[i].length, max));
            out.writeBytes(new byte[] {'\r', '\n'});
        }
        byte[] all = out.toByteArray();
        return all.length <= max ? all : Arrays.copyOf(all, max);
    }

    /** How many digits {@code value} (not negative) takes in decimal: a RESP length's. */
    public static int decimalDigits(int value) {
        int digits = 1;
        while (value >= 10) {
            value /= 10;
            digits++;
        }
        return digits;
    }
}
