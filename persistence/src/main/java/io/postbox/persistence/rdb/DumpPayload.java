package io.postbox.persistence.rdb;

import io.postbox.commands.DumpPayloads;
import io.postbox.commands.Errors;
import io.postbox.commands.config.Config;
import io.postbox.resp.ErrorReply;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * DUMP and FUNCTION DUMP payloads, as Redis writes and reads them:
 * <pre>
 *   ...       DUMP: the value's RDB type (1 byte) and the value, encoded as in an RDB file;
 *             FUNCTION DUMP: per library 0xF5 (FUNCTION2) and its code as a string
 *   2 bytes   RDB version, little-endian (10)
 *   8 bytes   CRC-64 (Jones, reflected) of everything before, little-endian
 * </pre>
 * Strings are LZF-compressed if rdbcompression is on, as Redis's are. A payload with a newer version or
 * a wrong checksum is refused before it is read, as Redis refuses it (unless told to skip checksums).
 */
public final class DumpPayload implements DumpPayloads {

    private static final int FOOTER_BYTES = 10;
    private static final ErrorReply WRONG_VERSION_OR_CHECKSUM =
            Errors.err("DUMP payload version or checksum are wrong");
    private static final ErrorReply BAD_DATA = Errors.err("Bad data format");

    private final Config config;
    /** Where why a RESTORE payload was refused goes: the server log at verbose level, as Redis logs it. */
    private final Consumer<String> refusals;
    private boolean checksumsSkipped;

    public DumpPayload(Config config, Consumer<String> refusals) {
        this.config = config;
        this.refusals = refusals;
    }

    @Override
    public byte[] dump(Object value) {
        RdbType.ValueWriter writer = RdbTypes.of(value).writer(value);
        RdbOutput out = output();
        out.writeByte(writer.type());
        while (!writer.writeSome(out, Long.MAX_VALUE)) {
            // A value written in parts (a long list) is written whole here.
        }
        return payload(out);
    }

    @Override
    public Object restore(byte[] payload) {
        RdbInput in = body(payload);
        try {
            int type = in.readByte();
            RdbType reader = RdbTypes.reading(type);
            if (reader == null) {
                throw in.corrupt("Unknown RDB type " + type);
            }
            Object value = reader.read(type, in, config);
            if (value == null) {
                throw in.corrupt("An empty value"); // Redis refuses it too.
            }
            // A payload comes from a client, whose checksum vouches for nothing: compressed list nodes,
            // kept sealed, are checked whole now (Redis does so only with sanitize-dump-payload, and with
            // no takes a node that miscounts its elements, to misreport the list's length from then on).
            in.settleDeferredChecks(false);
            return value;
        } catch (ErrorReply e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            // A format error names what and where; anything else is a check missed, to be seen as such.
            refusals.accept("RESTORE payload refused: " + (e instanceof RdbFormatException ? e.getMessage() : e));
            throw BAD_DATA;
        }
    }

    @Override
    public byte[] dumpLibraries(List<byte[]> codes) {
        RdbOutput out = output();
        for (byte[] code : codes) {
            out.writeByte(RdbFormat.OPCODE_FUNCTION2).writeString(code);
        }
        return payload(out);
    }

    @Override
    public List<byte[]> restoreLibraries(byte[] payload) {
        RdbInput in = body(payload);
        List<byte[]> codes = new ArrayList<>();
        try {
            while (in.offset() < payload.length - FOOTER_BYTES) {
                int opcode = in.readByte();
                if (opcode == RdbFormat.OPCODE_FUNCTION_PRE_GA) {
                    throw Errors.err("Pre-GA function format not supported");
                }
                if (opcode != RdbFormat.OPCODE_FUNCTION2) {
                    throw Errors.err("given type is not a function");
                }
                codes.add(in.readString());
            }
        } catch (ErrorReply e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw WRONG_VERSION_OR_CHECKSUM; // Bytes a checksum vouches for, yet no library.
        }
        return codes;
    }

    private RdbOutput output() {
        return new RdbOutput(config.getBool("rdbcompression"));
    }

    /** The bytes of {@code out}, then the version and the CRC-64 of everything before it. */
    private static byte[] payload(RdbOutput out) {
        ByteArrayOutputStream payload = new ByteArrayOutputStream();
        SegmentEncoder encoder = new SegmentEncoder(payload::write);
        try {
            for (Object segment : out.drain()) {
                encoder.encode(segment);
            }
            byte[] version = {(byte) RdbFormat.VERSION, (byte) (RdbFormat.VERSION >>> 8)};
            encoder.write(version, 0, version.length);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // Memory does not fail to take bytes.
        }
        long crc = encoder.crc();
        for (int i = 0; i < 8; i++) {
            payload.write((int) (crc >>> (8 * i)));
        }
        return payload.toByteArray();
    }

    @Override
    public void skipChecksums(boolean skip) {
        checksumsSkipped = skip;
    }

    /** The payload's bytes before its footer, to read, once the footer's version and checksum pass. */
    private RdbInput body(byte[] payload) {
        int end = payload.length - FOOTER_BYTES;
        if (end < 0) {
            throw WRONG_VERSION_OR_CHECKSUM;
        }
        int version = (payload[end] & 0xff) | (payload[end + 1] & 0xff) << 8;
        long crc = 0;
        for (int i = 7; i >= 0; i--) {
            crc = crc << 8 | (payload[end + 2 + i] & 0xff);
        }
        if (version > RdbFormat.VERSION || !checksumsSkipped && Crc64.update(0, payload, 0, end + 2) != crc) {
            throw WRONG_VERSION_OR_CHECKSUM;
        }
        return RdbInput.over(payload, end, "DUMP payload");
    }
}
