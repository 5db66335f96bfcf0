package io.postbox.persistence.rdb;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** A file that is not valid RDB (or not one Postbox can load); the message names the file and offset. */
public final class RdbFormatException extends IOException {

    public RdbFormatException(String message) {
        super(message);
    }

    /** This error with the key whose value it was found in, and the value's type, as Redis reports them. */
    RdbFormatException readingKey(byte[] key, int type) {
        String name = new String(key, StandardCharsets.ISO_8859_1);
        return new RdbFormatException(getMessage() + ", reading key '" + name + "' of type " + type + " ("
                + RdbFormat.typeName(type) + ")");
    }
}
