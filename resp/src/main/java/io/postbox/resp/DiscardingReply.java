package io.postbox.resp;

import java.util.function.Consumer;
import java.util.function.IntSupplier;

/**
 * A reply that goes nowhere: for commands whose answers nobody reads (CLIENT REPLY OFF or SKIP, commands
 * replayed from the append-only file). It still reports a protocol, so commands shape what they would
 * have sent the same way.
 */
public final class DiscardingReply implements Reply {

    private final IntSupplier protocol;
    private final Consumer<ErrorReply> errors;

    public DiscardingReply(IntSupplier protocol) {
        this(protocol, error -> { });
    }

    /** A reply that goes nowhere but for its errors, which go to {@code errors}. */
    public DiscardingReply(IntSupplier protocol, Consumer<ErrorReply> errors) {
        this.protocol = protocol;
        this.errors = errors;
    }

    @Override
    public int protocol() {
        return protocol.getAsInt();
    }

    @Override
    public void simple(String text) {
    }

    @Override
    public void simple(byte[] text) {
    }

    @Override
    public void error(ErrorReply error) {
        errors.accept(error);
    }

    @Override
    public void integer(long value) {
    }

    @Override
    public void bulk(byte[] value) {
    }

    @Override
    public void nullBulk() {
    }

    @Override
    public void nullArray() {
    }

    @Override
    public void array(int length) {
    }

    @Override
    public void map(int pairs) {
    }

    @Override
    public void set(int length) {
    }

    @Override
    public void push(int length) {
    }

    @Override
    public void doubleValue(double value, byte[] text) {
    }

    @Override
    public void bool(boolean value) {
    }

    @Override
    public void verbatim(String format, byte[] text) {
    }
}
