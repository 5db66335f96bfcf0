package io.postbox.resp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ErrorReplyTest {

    @Test
    void theCodeIsTheFirstWordIfASpaceEndsItWithinRedisSearchElseErr() {
        assertEquals("WRONGTYPE", new ErrorReply("WRONGTYPE Operation against a key").code());
        assertEquals("E", new ErrorReply("E x").code());
        assertEquals("ERR", new ErrorReply("nospace").code());
        assertEquals("ERR", new ErrorReply("").code());
        // Redis looks for the space in the first 32 characters of "-CODE ...", its '-' included.
        assertEquals("A".repeat(30), new ErrorReply("A".repeat(30) + " x").code());
        assertEquals("ERR", new ErrorReply("A".repeat(31) + " x").code());
    }
}
