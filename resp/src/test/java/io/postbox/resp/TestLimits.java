package io.postbox.resp;

/** Request limits a test sets directly; Redis's defaults until changed. */
final class TestLimits implements RequestLimits {

    long maxBulkLength = 512L * 1024 * 1024;
    long maxQueryBuffer = 1024L * 1024 * 1024;
    boolean authenticated = true;
    long heldBytes;

    @Override
    public long maxBulkLength() {
        return maxBulkLength;
    }

    @Override
    public long maxQueryBuffer() {
        return maxQueryBuffer;
    }

    @Override
    public long heldBytes() {
        return heldBytes;
    }

    @Override
    public boolean authenticated() {
        return authenticated;
    }
}
