package io.postbox.persistence.rdb;

import io.postbox.commands.config.Config;
import io.postbox.commands.hashes.HashLimits;
import io.postbox.commands.hashes.HashValue;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Hashes. Written as Redis 7.0 writes them: a packed hash as type 16 (HASH_LISTPACK, one listpack of
 * field, value, field, value, ...), a table as type 4 (HASH: the count of pairs, then field and value
 * strings). Read from those, from type 13 (HASH_ZIPLIST, the same pairs in a ziplist) and from type 9
 * (HASH_ZIPMAP, before Redis 2.6).
 */
final class RdbHash implements RdbType {

    @Override
    public boolean writes(Object value) {
        return value instanceof HashValue;
    }

    @Override
    public ValueWriter writer(Object value) {
        HashValue hash = (HashValue) value;
        if (hash.encoding().equals("listpack")) {
            Listpack.Builder listpack = new Listpack.Builder();
            hash.forEach((field, fieldValue) -> listpack.add(field).add(fieldValue));
            return new OneStringWriter(RdbFormat.TYPE_HASH_LISTPACK, listpack.build());
        }
        List<byte[]> pairs = new ArrayList<>(hash.size() * 2);
        hash.forEach((field, fieldValue) -> {
            pairs.add(field);
            pairs.add(fieldValue);
        });
        return new StringSequenceWriter(RdbFormat.TYPE_HASH, hash.size(), pairs);
    }

    @Override
    public int[] reads() {
        return new int[] {RdbFormat.TYPE_HASH, RdbFormat.TYPE_HASH_ZIPMAP, RdbFormat.TYPE_HASH_ZIPLIST,
            RdbFormat.TYPE_HASH_LISTPACK};
    }

    @Override
    public Object read(int type, RdbInput in, Config config) throws IOException {
        HashLimits limits = HashLimits.of(config);
        long count = type == RdbFormat.TYPE_HASH ? in.readLength() : 0;
        HashValue hash = HashValue.sizedFor(count, limits);
        byte[][] field = new byte[1][];
        Consumer<byte[]> pairs = element -> {
            if (field[0] == null) {
                field[0] = element;
                return;
            }
            if (!hash.put(field[0], element, limits)) {
                throw new IllegalArgumentException("duplicate hash field");
            }
            field[0] = null;
        };
        try {
            if (type == RdbFormat.TYPE_HASH) {
                for (long i = 0; i < count; i++) {
                    pairs.accept(in.readString());
                    pairs.accept(in.readString());
                }
            } else if (type == RdbFormat.TYPE_HASH_ZIPMAP) {
                Zipmap.forEach(in.readString(), pairs);
            } else if (type == RdbFormat.TYPE_HASH_ZIPLIST) {
                Ziplist.forEach(in.readString(), pairs);
            } else {
                Listpack.forEach(in.readString(), pairs);
            }
        } catch (IllegalArgumentException e) {
            throw in.corrupt(integrityCheck(type) + " failed: " + e.getMessage());
        }
        if (field[0] != null) {
            throw in.corrupt(integrityCheck(type) + " failed: a field without a value");
        }
        return hash.isEmpty() ? null : hash;
    }

    /** The check a hash of RDB {@code type} failed, in the words Redis logs it with. */
    private static String integrityCheck(int type) {
        return switch (type) {
            case RdbFormat.TYPE_HASH -> "Hash integrity check";
            case RdbFormat.TYPE_HASH_ZIPMAP -> "Zipmap integrity check";
            case RdbFormat.TYPE_HASH_ZIPLIST -> "Hash ziplist integrity check";
            default -> "Hash listpack integrity check";
        };
    }
}
