package io.postbox.commands.sort;

import io.postbox.commands.Errors;
import io.postbox.commands.Invocation;
import io.postbox.commands.keyspace.Database;
import io.postbox.commands.keyspace.Notify;
import io.postbox.commands.lists.PackedList;
import io.postbox.resp.ErrorReply;
import io.postbox.resp.Reply;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * SORT and SORT_RO: the elements of a list, set or sorted set ({@link Sortable}), ordered by their own
 * value or by values fetched through a BY pattern, numerically or (ALPHA) as strings, cut by LIMIT,
 * each replaced by what GET patterns fetch, and replied or (STORE) stored as a list.
 *
 * <p>Redis's steps, kept in order: options first (a syntax error wins over a missing key), then the
 * key, then every BY lookup, then the "can't be converted" check, then the GET lookups.
 *
 * <p>Not sorting (BY without {@code *}) keeps a list's or sorted set's own order, read from the
 * LIMIT offset and backwards under DESC; a set keeps its iteration order (DESC has no effect), except
 * that a set is always sorted ALPHA when the result is stored or the caller is a script, so what they
 * get is deterministic.
 */
final class Sort {

    private static final ErrorReply NOT_A_NUMBER = Errors.err("One or more scores can't be converted into double");
    private static final byte[] EMPTY = new byte[0];

    /** What a missing key sorts as: an empty list. */
    private static final Sortable NOTHING = new Sortable() {
        @Override
        public long size() {
            return 0;
        }

        @Override
        public boolean ordered() {
            return true;
        }

        @Override
        public List<byte[]> elements(long start, long count, boolean reversed) {
            return List.of();
        }
    };

    private Sort() {
    }

    static void sort(Invocation call) {
        run(call, false);
    }

    static void sortReadOnly(Invocation call) {
        run(call, true);
    }

    private static void run(Invocation call, boolean readOnly) {
        SortOptions options = SortOptions.parse(call, readOnly);
        Database db = call.db();
        Object value = db.get(call.arg(1));
        if (value != null && !(value instanceof Sortable)) {
            throw Errors.WRONGTYPE;
        }
        Sortable source = value == null ? NOTHING : (Sortable) value;
        source.readyForSort();
        // A set's iteration order is no order: what is stored, or what a script sees, is sorted ALPHA,
        // so it is the same wherever the command is replayed.
        if (options.dontSort() && !source.ordered() && (options.destination() != null || call.client().isScript())) {
            options = options.sortedAlphabetically();
        }
        long size = source.size();
        long start = Math.max(options.offset(), 0);
        long end = options.count() < 0 ? size - 1 : start + options.count() - 1;
        if (start >= size) {
            start = size - 1;
            end = size - 2;
        }
        end = Math.min(end, size - 1);
        List<byte[]> elements;
        if (options.dontSort() && source.ordered()) {
            // The LIMIT range is read directly, so the output starts at its first element.
            elements = end >= start ? source.elements(start, end - start + 1, options.descending()) : List.of();
            end -= start;
            start = 0;
        } else {
            elements = source.elements(0, size, false);
        }
        if (!options.dontSort()) {
            elements = sorted(db, elements, options);
        }
        List<byte[]> output = new ArrayList<>();
        for (long i = start; i <= end; i++) {
            byte[] element = elements.get((int) i);
            if (options.gets().isEmpty()) {
                output.add(element);
            }
            for (SortPattern get : options.gets()) {
                output.add(get.fetch(db, element));
            }
        }
        if (options.destination() == null) {
            Reply reply = call.reply();
            reply.array(output.size());
            for (byte[] item : output) {
                if (item == null) {
                    reply.nullBulk();
                } else {
                    reply.bulk(item);
                }
            }
            return;
        }
        output.replaceAll(item -> item == null ? EMPTY : item);
        if (output.isEmpty()) {
            if (db.delete(options.destination())) {
                db.notify(Notify.GENERIC, "del", options.destination());
            }
        } else {
            PackedList list = new PackedList();
            output.forEach(item -> list.push(PackedList.End.TAIL, item));
            db.set(options.destination(), list);
            // Redis counts each element stored; storing the list counted the first.
            db.countChanges(output.size() - 1);
            db.notify(Notify.LIST, "sortstore", options.destination());
        }
        call.reply().integer(output.size());
    }

    /** One element to sort and what it is compared by. */
    private record Item(byte[] element, double weight, byte[] by) {
    }

    /**
     * The elements in order. Every BY lookup happens before a weight that does not read as a number
     * fails the command. The sort is stable, so equal elements keep the order they came in.
     */
    private static List<byte[]> sorted(Database db, List<byte[]> elements, SortOptions options) {
        SortPattern by = options.by();
        List<Item> items = new ArrayList<>(elements.size());
        boolean unreadable = false;
        for (byte[] element : elements) {
            byte[] compared = by == null ? element : by.fetch(db, element);
            double weight = 0;
            if (!options.alpha() && compared != null) {
                Double parsed = SortWeight.parse(compared);
                if (parsed == null) {
                    unreadable = true;
                } else {
                    weight = parsed;
                }
            }
            items.add(new Item(element, weight, compared));
        }
        if (unreadable) {
            throw NOT_A_NUMBER;
        }
        Comparator<Item> order = options.alpha() ? alphabetical(by != null, options.destination() != null)
                : Sort::numerically;
        items.sort(options.descending() ? order.reversed() : order);
        List<byte[]> result = new ArrayList<>(items.size());
        items.forEach(item -> result.add(item.element()));
        return result;
    }

    /** By weight; equal weights (0 and -0 too) by the elements' bytes, so the order is deterministic. */
    private static int numerically(Item a, Item b) {
        if (a.weight() > b.weight()) {
            return 1;
        }
        if (a.weight() < b.weight()) {
            return -1;
        }
        return Arrays.compareUnsigned(a.element(), b.element());
    }

    /**
     * As strings: Redis compares whole byte strings when storing, and with strcoll otherwise, which in
     * the C and C.UTF-8 locales compares bytes up to the first NUL. With BY, a missing value sorts
     * first.
     */
    private static Comparator<Item> alphabetical(boolean byPattern, boolean storing) {
        Comparator<byte[]> strings = storing ? Arrays::compareUnsigned : Sort::compareCStrings;
        if (!byPattern) {
            return (a, b) -> strings.compare(a.element(), b.element());
        }
        return (a, b) -> {
            if (a.by() == null || b.by() == null) {
                return a.by() == b.by() ? 0 : a.by() == null ? -1 : 1;
            }
            return strings.compare(a.by(), b.by());
        };
    }

    private static int compareCStrings(byte[] a, byte[] b) {
        return Arrays.compareUnsigned(a, 0, cLength(a), b, 0, cLength(b));
    }

    private static int cLength(byte[] bytes) {
        int length = 0;
        while (length < bytes.length && bytes[length] != 0) {
            length++;
        }
        return length;
    }
}
