package io.postbox.commands.keyspace;

import io.postbox.commands.Errors;

/**
 * The serialized values of DUMP and RESTORE: a value in Redis's RDB encoding, then the RDB version and
 * a CRC-64, so that a payload taken from either Postbox or Redis restores on the other. The persistence
 * module, which owns the RDB format, implements it and the server attaches it; without a server
 * ({@link #NONE}) both commands are refused.
 *
 * <p>Executor thread only.
 */
public interface ValuePayloads {

    /** DUMP's payload of {@code value}, a keyspace value. */
    byte[] dump(Object value);

    /**
     * The keyspace value in RESTORE's {@code payload}; throws Redis's error reply for a payload it
     * refuses (a newer RDB version or a wrong checksum, or data it cannot read).
     */
    Object restore(byte[] payload);

    /** An engine without a server: values cannot be serialized. */
    ValuePayloads NONE = new ValuePayloads() {
        @Override
        public byte[] dump(Object value) {
            throw Errors.err("This engine has no RDB encoding");
        }

        @Override
        public Object restore(byte[] payload) {
            throw Errors.err("This engine has no RDB encoding");
        }
    };
}
