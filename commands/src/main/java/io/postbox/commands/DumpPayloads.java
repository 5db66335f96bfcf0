package io.postbox.commands;

import io.postbox.resp.ErrorReply;
import java.util.List;

/**
 * The payloads of DUMP and FUNCTION DUMP, as Redis writes them: a value (or the function libraries) in
 * Redis's RDB encoding, then the RDB version and a CRC-64, so that a payload taken from either Postbox or
 * Redis restores on the other. The persistence module, which owns the RDB format, implements it and the
 * server attaches it; without a server ({@link #NONE}) the commands are refused.
 *
 * <p>Executor thread only. Each restore throws Redis's error reply for a payload it refuses: a newer RDB
 * version or a wrong checksum, or data it cannot read.
 */
public interface DumpPayloads {

    /** DUMP's payload of {@code value}, a keyspace value. */
    byte[] dump(Object value);

    /** The keyspace value in RESTORE's {@code payload}. */
    Object restore(byte[] payload);

    /** FUNCTION DUMP's payload of the libraries' {@code codes}. */
    byte[] dumpLibraries(List<byte[]> codes);

    /** The libraries' codes in FUNCTION RESTORE's {@code payload}. */
    List<byte[]> restoreLibraries(byte[] payload);

    /**
     * DEBUG SET-SKIP-CHECKSUM-VALIDATION: whether restores take a payload whatever its checksum, as
     * Redis's own tests have them do to feed it corrupt data.
     */
    void skipChecksums(boolean skip);

    /** An engine without a server: nothing can be serialized. */
    DumpPayloads NONE = new DumpPayloads() {
        @Override
        public byte[] dump(Object value) {
            throw none();
        }

        @Override
        public Object restore(byte[] payload) {
            throw none();
        }

        @Override
        public byte[] dumpLibraries(List<byte[]> codes) {
            throw none();
        }

        @Override
        public List<byte[]> restoreLibraries(byte[] payload) {
            throw none();
        }

        @Override
        public void skipChecksums(boolean skip) {
        }

        private static ErrorReply none() {
            return Errors.err("This engine has no RDB encoding");
        }
    };
}
