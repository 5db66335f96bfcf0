package io.postbox.commands.scripting;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import party.iroiro.luajava.Lua;
import party.iroiro.luajava.lua51.Lua51Natives;

/**
 * Binary-safe strings between Java and Lua. luajava hands Lua a Java string in modified UTF-8, so a
 * byte string goes in as one char per byte (ISO-8859-1) and, when it holds bytes 0x00 or 0x80-0xff,
 * is decoded back to those bytes on the Lua side by the sandbox's {@code decode} function. Reading a
 * Lua string copies its bytes as they are.
 */
final class LuaStrings {

    private LuaStrings() {
    }

    /** Pushes {@code bytes} as a Lua string; {@code decodeRef} is the registry ref of the decoder. */
    static void push(Lua lua, byte[] bytes, int decodeRef) {
        String text = new String(bytes, StandardCharsets.ISO_8859_1);
        if (plain(bytes)) {
            lua.push(text);
            return;
        }
        lua.refGet(decodeRef);
        lua.push(text);
        lua.pCall(1, 1);
    }

    /** The bytes of the string (or number, as Lua formats it) at {@code index}. */
    static byte[] bytes(Lua lua, int index) {
        // Most strings are ASCII, and as a Java string they cost far less than a direct buffer (which
        // the JVM builds by calling back into Java). A NUL ends the Java string early and a byte above
        // 0x7f decodes to a char above 0x7f: either way the lengths or the chars tell, and the buffer
        // is read instead.
        String text = lua.toString(index);
        if (text != null && ascii(text)
                && text.length() == ((Lua51Natives) lua.getLuaNatives()).lua_objlen(lua.getPointer(), index)) {
            return text.getBytes(StandardCharsets.ISO_8859_1);
        }
        // A view of the Lua string itself (no native allocation); it lives while it is on the stack.
        ByteBuffer buffer = lua.toDirectBuffer(index);
        byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);
        return bytes;
    }

    private static boolean ascii(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) >= 0x80) {
                return false;
            }
        }
        return true;
    }

    /** Whether modified UTF-8 keeps every byte as is: no NUL and nothing above 0x7f. */
    private static boolean plain(byte[] bytes) {
        for (byte b : bytes) {
            if (b <= 0) {
                return false;
            }
        }
        return true;
    }
}
