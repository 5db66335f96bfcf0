package io.postbox.commands.keyspace;

import io.postbox.commands.Errors;
import io.postbox.commands.Invocation;
import io.postbox.commands.Numbers;
import io.postbox.resp.ErrorReply;

/** A database index argument (SELECT, MOVE, COPY ... DB, SWAPDB), parsed as Redis parses it. */
final class DatabaseArgument {

    private static final ErrorReply NOT_AN_INT = Errors.err("value is out of range, value must between "
            + Integer.MIN_VALUE + " and " + Integer.MAX_VALUE);

    private DatabaseArgument() {
    }

    /**
     * Argument {@code i} as a 32-bit integer (getIntFromObjectOrReply): {@code error} if it is not
     * one, or Redis's generic texts when {@code error} is null.
     */
    static int index(Invocation call, int i, ErrorReply error) {
        long value = Numbers.parseLong(call.arg(i), error == null ? Errors.NOT_INTEGER : error);
        if (value < Integer.MIN_VALUE || value > Integer.MAX_VALUE) {
            throw error == null ? NOT_AN_INT : error;
        }
        return (int) value;
    }

    /** The database named by argument {@code i}, or ERR DB index is out of range. */
    static Database database(Invocation call, int i) {
        int index = index(call, i, null);
        if (index < 0 || index >= call.engine().databaseCount()) {
            throw Errors.DB_INDEX_OUT_OF_RANGE;
        }
        return call.engine().database(index);
    }
}
