package io.postbox.commands.keyspace;

import io.postbox.commands.DumpPayloads;
import java.util.Locale;

/**
 * DEBUG OBJECT's one line about a stored value, in Redis's words: where it is (the object's identity
 * here), its reference count and encoding, the bytes it takes in an RDB file, its access clock and
 * idle seconds, then what the encoding tells of its layout ({@link TypedValue#layoutDetails}).
 */
final class ObjectDescription {

    /** Bytes of a DUMP payload besides the value: its type byte, RDB version (2) and CRC-64 (8). */
    private static final int PAYLOAD_FRAMING_BYTES = 11;

    private ObjectDescription() {
    }

    static String of(KeyEntry entry, long idleSeconds, DumpPayloads payloads) {
        Object value = entry.value;
        return String.format(Locale.ROOT,
                "Value at:0x%x refcount:%d encoding:%s serializedlength:%d lru:%d lru_seconds_idle:%d",
                System.identityHashCode(value), Database.refcount(entry), Database.encoding(entry),
                payloads.dump(value).length - PAYLOAD_FRAMING_BYTES, entry.clock(), idleSeconds)
                + (value instanceof TypedValue typed ? typed.layoutDetails() : "");
    }
}
