package io.postbox.commands.zsets;

import io.postbox.commands.Errors;
import io.postbox.commands.sets.SetValue;

/**
 * An input of ZUNION, ZINTER, ZDIFF and ZINTERCARD as they read it: a sorted set, a plain set whose
 * every member scores 1 (as Redis reads sets there), or nothing for a missing key. Any other type is
 * WRONGTYPE.
 */
interface InputSet {

    InputSet NONE = new InputSet() {
        @Override
        public long size() {
            return 0;
        }

        @Override
        public double score(byte[] member) {
            return Double.NaN;
        }

        @Override
        public void forEach(EntryVisitor visitor) {
        }
    };

    long size();

    /** The score of {@code member}, or NaN if it is not in the input. */
    double score(byte[] member);

    void forEach(EntryVisitor visitor);

    /** The input a key's value makes: null (a missing key), a sorted set or a set. */
    static InputSet of(Object value) {
        if (value == null) {
            return NONE;
        }
        if (value instanceof SortedSet sorted) {
            return new InputSet() {
                @Override
                public long size() {
                    return sorted.cardinality();
                }

                @Override
                public double score(byte[] member) {
                    return sorted.score(member);
                }

                @Override
                public void forEach(EntryVisitor visitor) {
                    sorted.visitAll(visitor);
                }
            };
        }
        if (value instanceof SetValue set) {
            return new InputSet() {
                @Override
                public long size() {
                    return set.size();
                }

                @Override
                public double score(byte[] member) {
                    return set.contains(member) ? 1 : Double.NaN;
                }

                @Override
                public void forEach(EntryVisitor visitor) {
                    set.forEach(member -> visitor.visit(member, 1));
                }
            };
        }
        throw Errors.WRONGTYPE;
    }
}
