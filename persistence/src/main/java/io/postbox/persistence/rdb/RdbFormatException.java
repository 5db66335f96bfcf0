package io.postbox.persistence.rdb;

import java.io.IOException;

/** A file that is not valid RDB (or not one Postbox can load); the message names the file and offset. */
public final class RdbFormatException extends IOException {

    public RdbFormatException(String message) {
        super(message);
    }
}
