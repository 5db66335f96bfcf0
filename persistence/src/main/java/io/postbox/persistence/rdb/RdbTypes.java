package io.postbox.persistence.rdb;

import java.util.List;

/**
 * Every value type Postbox writes and reads in RDB files.
 */
public final class RdbTypes {

    private static final List<RdbType> TYPES = List.of(new RdbString(), new RdbList(), new RdbHash(), new RdbSet(),
            new RdbSortedSet(), new RdbStream());
    private static final RdbType[] BY_TYPE_BYTE = new RdbType[256];

    static {
        for (RdbType type : TYPES) {
            for (int b : type.reads()) {
                BY_TYPE_BYTE[b] = type;
            }
        }
    }

    private RdbTypes() {
    }

    /** The type that writes {@code value}. */
    public static RdbType of(Object value) {
        for (RdbType type : TYPES) {
            if (type.writes(value)) {
                return type;
            }
        }
        throw new IllegalArgumentException("no RDB type writes " + value.getClass().getName());
    }

    /** The type that reads RDB type byte {@code type}, or null if Postbox has none. */
    static RdbType reading(int type) {
        return type >= 0 && type < BY_TYPE_BYTE.length ? BY_TYPE_BYTE[type] : null;
    }
}
