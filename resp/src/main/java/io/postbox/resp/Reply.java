package io.postbox.resp;

/**
 * Where a command writes its reply, one typed element at a time, as Redis's {@code addReply*} family.
 *
 * <p>Aggregates announce their size first ({@link #array(int)}, {@link #map(int)}, ...), then exactly
 * that many elements follow (a map counts pairs: {@code 2 * n} elements follow). Types that RESP2 lacks
 * degrade the way Redis degrades them: maps and sets become arrays, doubles become bulk strings,
 * booleans become integers, nulls become the null bulk string or null array.
 *
 * <p>Java strings here carry bytes one per char (ISO-8859-1), so text built from client arguments
 * goes back on the wire byte for byte.
 *
 * <p>Implementations render to the wire ({@link RespWriter}) or collect values (for scripts and
 * tests). Not thread-safe: a reply belongs to the executor thread.
 */
public interface Reply {

    /** The protocol the client speaks: 2 or 3. */
    int protocol();

    void simple(String text);

    void error(ErrorReply error);

    void integer(long value);

    void bulk(byte[] value);

    /** A RESP2 null bulk string; RESP3 null. */
    void nullBulk();

    /** A RESP2 null array; RESP3 null. */
    void nullArray();

    void array(int length);

    /** A map of {@code pairs} key/value pairs. */
    void map(int pairs);

    void set(int length);

    /** An out-of-band push (pub/sub messages, invalidations). */
    void push(int length);

    /** A double as Redis's addReplyDouble writes it: {@code %.17g}. */
    default void doubleValue(double value) {
        doubleValue(value, DoubleFormat.g17Bytes(value));
    }

    /**
     * A double written as {@code text}, for replies Redis prints another way (GEOPOS's coordinates,
     * in its {@code %.17Lf} "human" form): a RESP3 double, a bulk string in RESP2.
     */
    void doubleValue(double value, byte[] text);

    void bool(boolean value);

    /** A RESP3 big number given by its decimal digits; a bulk string in RESP2. */
    default void bigNumber(byte[] digits) {
        bulk(digits);
    }

    /**
     * A RESP3 verbatim string such as INFO's, whose {@code format} is three characters ({@code txt}),
     * one byte each; a bulk string in RESP2.
     */
    void verbatim(String format, byte[] text);

    /**
     * A RESP3 attribute of {@code pairs} key/value pairs about the reply that follows it: the caller
     * writes the pairs into the returned reply, then the reply itself into this one. Where attributes
     * cannot go (RESP2, a script's redis.call, which Redis gives no attributes) the pairs are dropped.
     */
    default Reply attribute(int pairs) {
        return new DiscardingReply(this::protocol);
    }

    default void ok() {
        simple("OK");
    }

    /** A simple string already in bytes (no CR or LF), such as a MONITOR line written to many clients. */
    default void simple(byte[] text) {
        simple(new String(text, java.nio.charset.StandardCharsets.ISO_8859_1));
    }

    default void error(String text) {
        error(new ErrorReply(text));
    }

    default void bulk(String value) {
        bulk(value.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
    }

    /** An array of bulk strings. */
    default void bulks(java.util.Collection<byte[]> values) {
        array(values.size());
        for (byte[] value : values) {
            bulk(value);
        }
    }
}
