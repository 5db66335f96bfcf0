package io.postbox.commands.geo;

import io.postbox.commands.Errors;
import io.postbox.resp.ErrorReply;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/** The units GEO commands take distances in, named in either case, and how many meters each is. */
final class DistanceUnit {

    private static final ErrorReply UNSUPPORTED = Errors.err("unsupported unit provided. please use M, KM, FT, MI");

    private DistanceUnit() {
    }

    /** Meters per {@code unit}; ERR unsupported unit for anything else. */
    static double meters(byte[] unit) {
        return switch (new String(unit, StandardCharsets.ISO_8859_1).toLowerCase(Locale.ROOT)) {
            case "m" -> 1;
            case "km" -> 1000;
            case "ft" -> 0.3048;
            case "mi" -> 1609.34;
            default -> throw UNSUPPORTED;
        };
    }
}
