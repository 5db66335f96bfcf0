package io.postbox.commands.acl;

import io.postbox.commands.Client;
import io.postbox.commands.transactions.Transaction;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * ACL LOG: the latest refusals, newest first, at most {@code acllog-max-len}. A refusal like one of
 * the ten newest (same reason, context, object and user, within a minute of it) counts on that
 * entry and moves it to the front, as in Redis.
 */
public final class AclLog {

    /** Where the refused call came from, as ACL LOG names it. */
    public enum Context {
        TOPLEVEL, LUA, MULTI;

        /** A client's own call: inside its transaction (MULTI) or not. */
        public static Context of(Client client) {
            return Transaction.isOpen(client) ? MULTI : TOPLEVEL;
        }

        String logName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private static final long GROUPING_MILLIS = 60_000;
    private static final int GROUPING_SCAN = 10;

    /** One entry; {@code clientInfo} is the CLIENT LIST line of the latest client it counts. */
    public static final class Entry {
        private long count = 1;
        private final AclDenial.Reason reason;
        private final Context context;
        private final String object;
        private final String username;
        private long millis;
        private String clientInfo;

        private Entry(AclDenial.Reason reason, Context context, String object, String username, long millis,
                      String clientInfo) {
            this.reason = reason;
            this.context = context;
            this.object = object;
            this.username = username;
            this.millis = millis;
            this.clientInfo = clientInfo;
        }

        public long count() {
            return count;
        }

        public String reason() {
            return reason.logName();
        }

        public String context() {
            return context.logName();
        }

        public String object() {
            return object;
        }

        public String username() {
            return username;
        }

        public long millis() {
            return millis;
        }

        public String clientInfo() {
            return clientInfo;
        }

        private boolean groupsWith(Entry newer) {
            return reason == newer.reason && context == newer.context && newer.millis - millis <= GROUPING_MILLIS
                    && object.equals(newer.object) && username.equals(newer.username);
        }
    }

    private final Deque<Entry> entries = new ArrayDeque<>();
    private final LongSupplier maxLength;

    public AclLog(LongSupplier maxLength) {
        this.maxLength = maxLength;
    }

    public void add(AclDenial.Reason reason, Context context, String object, String username, long millis,
                    String clientInfo) {
        Entry entry = new Entry(reason, context, object, username, millis, clientInfo);
        int scanned = 0;
        for (Iterator<Entry> it = entries.iterator(); it.hasNext() && scanned < GROUPING_SCAN; scanned++) {
            Entry current = it.next();
            if (current.groupsWith(entry)) {
                it.remove();
                current.count++;
                current.millis = millis;
                current.clientInfo = clientInfo;
                entries.addFirst(current);
                return;
            }
        }
        entries.addFirst(entry);
        while (entries.size() > maxLength.getAsLong()) {
            entries.removeLast();
        }
    }

    /** The {@code count} newest entries. */
    public List<Entry> newest(long count) {
        return entries.stream().limit(Math.max(0, count)).toList();
    }

    public void reset() {
        entries.clear();
    }
}
