package io.postbox.persistence.aof;

import io.postbox.resp.ErrorReply;
import io.postbox.resp.Reply;

/** Where the replies to replayed commands go: nowhere. */
final class DiscardedReplies implements Reply {

    @Override
    public int protocol() {
        return 2;
    }

    @Override
    public void simple(String text) {
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
