package io.postbox.commands.scripting;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import party.iroiro.luajava.Lua;
import party.iroiro.luajava.lua51.Lua51Natives;

/**
 * Reads Lua strings binary-safe through luajava, where the native layer's tape does not carry them
 * (error texts, redis.log, sha1hex). Strings go the other way on the {@link Tape}.
 */
final class LuaStrings {

    private LuaStrings() {
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
}
