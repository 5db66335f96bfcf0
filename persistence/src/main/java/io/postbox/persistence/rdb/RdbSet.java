package io.postbox.persistence.rdb;

import io.postbox.commands.config.Config;
import io.postbox.commands.sets.SetValue;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Sets. Written as Redis 7.0 writes them: an intset as type 11 (SET_INTSET, one {@link Intset}), a
 * table as type 2 (SET: the member count, then each member as a string). Read from both.
 */
final class RdbSet implements RdbType {

    /** Redis caps set-max-intset-entries here, whatever the config says. */
    private static final long INTSET_CAP = 1 << 30;

    @Override
    public boolean writes(Object value) {
        return value instanceof SetValue;
    }

    @Override
    public ValueWriter writer(Object value) {
        SetValue set = (SetValue) value;
        if (set.encoding().equals("intset")) {
            long[] members = new long[(int) set.size()];
            int[] count = {0};
            set.forEach(member -> members[count[0]++] = Long.parseLong(new String(member, StandardCharsets.US_ASCII)));
            return new OneStringWriter(RdbFormat.TYPE_SET_INTSET, Intset.encode(members, count[0]));
        }
        List<byte[]> members = new ArrayList<>((int) set.size());
        set.forEach(members::add);
        return new StringSequenceWriter(RdbFormat.TYPE_SET, members.size(), members);
    }

    @Override
    public int[] reads() {
        return new int[] {RdbFormat.TYPE_SET, RdbFormat.TYPE_SET_INTSET};
    }

    @Override
    public Object read(int type, RdbInput in, Config config) throws IOException {
        long maxIntsetEntries = Math.min(config.getLong("set-max-intset-entries"), INTSET_CAP);
        long count = type == RdbFormat.TYPE_SET ? in.readLength() : 0;
        SetValue[] set = new SetValue[1];
        Consumer<byte[]> members = member -> {
            if (set[0] == null) {
                set[0] = SetValue.startingWith(member, count);
            }
            if (!set[0].add(member, maxIntsetEntries)) {
                throw new IllegalArgumentException("duplicate set member");
            }
        };
        try {
            if (type == RdbFormat.TYPE_SET) {
                for (long i = 0; i < count; i++) {
                    members.accept(in.readString());
                }
            } else {
                Intset.forEach(in.readString(), members);
            }
        } catch (IllegalArgumentException e) {
            String check = type == RdbFormat.TYPE_SET ? "Set" : "Intset";
            throw in.corrupt(check + " integrity check failed: " + e.getMessage());
        }
        return set[0];
    }
}
