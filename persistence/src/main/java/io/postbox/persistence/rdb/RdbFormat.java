package io.postbox.persistence.rdb;

/**
 * The constants of Redis's RDB format, version 10 (Redis 7.0). The layout of a whole file is described
 * on {@link SnapshotWriter}; the value encodings on each {@link RdbType}.
 */
public final class RdbFormat {

    private RdbFormat() {
    }

    /** The version Redis 7.0 writes, and the newest this reader accepts. */
    public static final int VERSION = 10;

    // Opcodes: a byte where a value's type byte could stand.
    public static final int OPCODE_FUNCTION2 = 0xF5;
    public static final int OPCODE_FUNCTION_PRE_GA = 0xF6;
    public static final int OPCODE_MODULE_AUX = 0xF7;
    public static final int OPCODE_IDLE = 0xF8;
    public static final int OPCODE_FREQ = 0xF9;
    public static final int OPCODE_AUX = 0xFA;
    public static final int OPCODE_RESIZEDB = 0xFB;
    public static final int OPCODE_EXPIRETIME_MS = 0xFC;
    public static final int OPCODE_EXPIRETIME = 0xFD;
    public static final int OPCODE_SELECTDB = 0xFE;
    public static final int OPCODE_EOF = 0xFF;

    // Value types.
    public static final int TYPE_STRING = 0;
    public static final int TYPE_LIST = 1;
    public static final int TYPE_SET = 2;
    public static final int TYPE_ZSET = 3;
    public static final int TYPE_HASH = 4;
    public static final int TYPE_ZSET_2 = 5;
    public static final int TYPE_MODULE = 6;
    public static final int TYPE_MODULE_2 = 7;
    public static final int TYPE_HASH_ZIPMAP = 9;
    public static final int TYPE_LIST_ZIPLIST = 10;
    public static final int TYPE_SET_INTSET = 11;
    public static final int TYPE_ZSET_ZIPLIST = 12;
    public static final int TYPE_HASH_ZIPLIST = 13;
    public static final int TYPE_LIST_QUICKLIST = 14;
    public static final int TYPE_STREAM_LISTPACKS = 15;
    public static final int TYPE_HASH_LISTPACK = 16;
    public static final int TYPE_ZSET_LISTPACK = 17;
    public static final int TYPE_LIST_QUICKLIST_2 = 18;
    public static final int TYPE_STREAM_LISTPACKS_2 = 19;

    /** Quicklist node containers of TYPE_LIST_QUICKLIST_2. */
    public static final int QUICKLIST_NODE_PLAIN = 1;
    public static final int QUICKLIST_NODE_PACKED = 2;

    // The first byte of a length: its two high bits say how it continues.
    static final int LENGTH_6BIT = 0;
    static final int LENGTH_14BIT = 1;
    static final int LENGTH_32BIT = 0x80;
    static final int LENGTH_64BIT = 0x81;
    static final int LENGTH_ENCODED = 3;
    // Special string encodings, in the low six bits after the 11 prefix.
    static final int ENCODED_INT8 = 0;
    static final int ENCODED_INT16 = 1;
    static final int ENCODED_INT32 = 2;
    static final int ENCODED_LZF = 3;

    /** Strings longer than this are offered to LZF (with rdbcompression), as Redis does. */
    static final int COMPRESSION_THRESHOLD = 20;
    /** Strings this long or shorter are tried as integers. */
    static final int INTEGER_STRING_LIMIT = 11;

    /** A name for a value type byte, for messages. */
    public static String typeName(int type) {
        return switch (type) {
            case TYPE_STRING -> "string";
            case TYPE_LIST, TYPE_LIST_ZIPLIST, TYPE_LIST_QUICKLIST, TYPE_LIST_QUICKLIST_2 -> "list";
            case TYPE_SET, TYPE_SET_INTSET -> "set";
            case TYPE_ZSET, TYPE_ZSET_2, TYPE_ZSET_ZIPLIST, TYPE_ZSET_LISTPACK -> "zset";
            case TYPE_HASH, TYPE_HASH_ZIPMAP, TYPE_HASH_ZIPLIST, TYPE_HASH_LISTPACK -> "hash";
            case TYPE_STREAM_LISTPACKS, TYPE_STREAM_LISTPACKS_2 -> "stream";
            case TYPE_MODULE, TYPE_MODULE_2 -> "module";
            default -> "unknown";
        };
    }
}
