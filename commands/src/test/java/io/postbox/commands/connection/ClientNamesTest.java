package io.postbox.commands.connection;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ClientNamesTest {

    @Test
    void printableAsciiWithoutSpacesIsValid() {
        assertTrue(ClientNames.valid("worker-7:queue{a}".getBytes()));
        assertTrue(ClientNames.valid("!~".getBytes()));
        assertTrue(ClientNames.valid(new byte[0]));
    }

    @Test
    void spacesControlsDeleteAndHighBytesAreNot() {
        assertFalse(ClientNames.valid("a b".getBytes()));
        assertFalse(ClientNames.valid(new byte[] {'a', '\n'}));
        assertFalse(ClientNames.valid(new byte[] {0x7f}));
        assertFalse(ClientNames.valid(new byte[] {(byte) 0xc3, (byte) 0xa9}));
        assertFalse(ClientNames.valid(new byte[] {0}));
    }
}
