package io.postbox.persistence.rdb;

import java.util.Map;

/**
 * Where a snapshot stands in the replication stream: the stream's ID and offset at the snapshot's point
 * in time, and the database the stream had selected there. Redis writes them in an RDB file's aux fields
 * ({@code repl-stream-db}, {@code repl-id}, {@code repl-offset}), so that a replica that loads the file,
 * from its master or from its own disk at a restart, continues the stream from there (PSYNC), applying
 * it to that database until the stream selects another.
 */
public record ReplicationPoint(int streamDb, String replicationId, long offset) {

    static final String STREAM_DB = "repl-stream-db";
    static final String ID = "repl-id";
    static final String OFFSET = "repl-offset";

    /**
     * The point an RDB file's aux fields name, or null if they name none, or an unusable one (Redis's
     * loadDataFromDisk takes them only when the ID is there and neither number is -1).
     */
    public static ReplicationPoint of(Map<String, String> aux) {
        String id = aux.get(ID);
        long db = parse(aux.get(STREAM_DB));
        long offset = parse(aux.get(OFFSET));
        if (id == null || id.length() != 40 || db < 0 || db > Integer.MAX_VALUE || offset < 0) {
            return null;
        }
        return new ReplicationPoint((int) db, id, offset);
    }

    private static long parse(String number) {
        if (number == null) {
            return -1;
        }
        try {
            return Long.parseLong(number);
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
