package io.postbox.server;

import io.postbox.resp.ErrorReply;
import io.postbox.resp.Reply;
import io.postbox.resp.RespWriter;

/**
 * Where replies go while CLIENT REPLY has them off or skipped: nowhere. It reports the connection's
 * protocol, so commands shape what they would have sent the same way.
 */
final class SilentReply implements Reply {

    private final RespWriter writer;

    SilentReply(RespWriter writer) {
        this.writer = writer;
    }

    @Override
    public int protocol() {
        return writer.protocol();
    }

    @Override
    public void simple(String text) {
    }

    @Override
    public void simple(byte[] text) {
    }

    @Override
    public void error(ErrorReply error) {
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
    public void doubleValue(double value) {
    }

    @Override
    public void bool(boolean value) {
    }

    @Override
    public void verbatim(String format, byte[] text) {
    }
}
