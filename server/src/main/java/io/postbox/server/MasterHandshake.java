package io.postbox.server;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.postbox.resp.RespWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The replica's side of a sync, on a new link to its master, as Redis's syncWithMaster: PING, AUTH
 * (with {@code masterauth}), REPLCONF listening-port, ip-address (with {@code replica-announce-ip})
 * and capa, each sent once the reply to the one before is checked, then PSYNC. A full resync's
 * snapshot ({@code $<length>}, after any newlines the master sends while it saves) goes to a file
 * through a {@link SnapshotReceiver}. When the master's stream starts, the {@link MasterFollower}
 * replaces this handler with the master's client connection and hands it what arrived past the
 * snapshot or the +CONTINUE line.
 *
 * <p>Runs on the link's event loop, the executor's (or its standby, during a busy script).
 */
final class MasterHandshake extends ChannelInboundHandlerAdapter {

    /** The longest reply line taken from a master in the handshake. */
    private static final int MAX_LINE = 64 * 1024;

    private enum Step { PING, AUTH, PORT, ADDRESS, CAPABILITIES, PSYNC, SNAPSHOT_LENGTH, SNAPSHOT, DONE }

    private final MasterFollower follower;
    private ChannelHandlerContext context;
    private ByteBuf input;
    private Step step = Step.PING;
    private SnapshotReceiver receiver;
    private long snapshotLeft;

    MasterHandshake(MasterFollower follower) {
        this.follower = follower;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        context = ctx;
        input = ctx.alloc().buffer();
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        follower.connected(ctx.channel());
        send("PING");
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object message) {
        ByteBuf bytes = (ByteBuf) message;
        follower.received(bytes.readableBytes());
        try {
            if (step == Step.SNAPSHOT) {
                receiveSnapshot(bytes);
            }
            input.writeBytes(bytes);
        } finally {
            bytes.release();
        }
        try {
            advance();
        } catch (IOException e) {
            // Why the handshake failed; the link closes and is tried again later.
            follower.log().warning(e.getMessage());
            ctx.close();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (receiver != null) {
            receiver.abort();
        }
        follower.handshakeDown(ctx.channel());
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        if (input != null) {
            input.release();
            input = null;
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        follower.log().warning(String.valueOf(cause.getMessage()));
        ctx.close();
    }

    /** Takes every reply line, or snapshot bytes, that has arrived. */
    private void advance() throws IOException {
        while (step != Step.DONE && input != null) {
            if (step == Step.SNAPSHOT) {
                receiveSnapshot(input);
                return;
            }
            String line = line();
            if (line == null) {
                return;
            }
            reply(line);
        }
    }

    /**
     * The next CRLF-ended line, or null until it has arrived; the newlines a master sends to keep the
     * link alive are skipped.
     */
    private String line() throws IOException {
        if (step == Step.PSYNC || step == Step.SNAPSHOT_LENGTH) {
            while (input.isReadable() && input.getByte(input.readerIndex()) == '\n') {
                input.skipBytes(1);
            }
        }
        int end = input.indexOf(input.readerIndex(), input.writerIndex(), (byte) '\n');
        if (end < 0) {
            if (input.readableBytes() > MAX_LINE) {
                throw new IOException("reply line too long");
            }
            return null;
        }
        int length = end - input.readerIndex();
        String line = input.toString(input.readerIndex(), length > 0 && input.getByte(end - 1) == '\r'
                ? length - 1 : length, StandardCharsets.ISO_8859_1);
        input.readerIndex(end + 1);
        return line;
    }

    private void reply(String line) throws IOException {
        switch (step) {
            case PING -> {
                // Redis takes an authentication error as the master being there, to be logged in to next.
                if (line.startsWith("-") && !line.startsWith("-NOAUTH") && !line.startsWith("-NOPERM")
                        && !line.startsWith("-ERR operation not permitted")) {
                    throw new IOException("Error reply to PING from master: '" + line + "'");
                }
                follower.log().notice("Master replied to PING, replication can continue...");
                List<String> auth = follower.authCommand();
                if (auth != null) {
                    step = Step.AUTH;
                    send(auth.toArray(new String[0]));
                } else {
                    sendPort();
                }
            }
            case AUTH -> {
                if (line.startsWith("-")) {
                    throw new IOException("Unable to AUTH to MASTER: " + line);
                }
                sendPort();
            }
            case PORT -> {
                nonCritical(line, "REPLCONF listening-port");
                String address = follower.announcedAddress();
                if (address != null) {
                    step = Step.ADDRESS;
                    send("REPLCONF", "ip-address", address);
                } else {
                    sendCapabilities();
                }
            }
            case ADDRESS -> {
                nonCritical(line, "REPLCONF ip-address");
                sendCapabilities();
            }
            case CAPABILITIES -> {
                nonCritical(line, "REPLCONF capa");
                step = Step.PSYNC;
                send(follower.psyncCommand().toArray(new String[0]));
            }
            case PSYNC -> psyncReply(line);
            case SNAPSHOT_LENGTH -> snapshotLength(line);
            default -> throw new IllegalStateException("no reply expected at " + step);
        }
    }

    private void sendPort() {
        step = Step.PORT;
        send("REPLCONF", "listening-port", Integer.toString(follower.announcedPort()));
    }

    private void sendCapabilities() {
        step = Step.CAPABILITIES;
        send("REPLCONF", "capa", "psync2");
    }

    private void nonCritical(String line, String command) {
        if (line.startsWith("-")) {
            follower.log().notice("(Non critical) Master does not understand " + command + ": " + line);
        }
    }

    private void psyncReply(String line) throws IOException {
        if (line.startsWith("+FULLRESYNC")) {
            String[] words = line.split(" ");
            if (words.length != 3 || words[1].length() != 40) {
                throw new IOException("Master replied with wrong +FULLRESYNC syntax.");
            }
            long offset;
            try {
                offset = Long.parseLong(words[2]);
            } catch (NumberFormatException e) {
                throw new IOException("Master replied with wrong +FULLRESYNC syntax.");
            }
            follower.fullResync(words[1], offset);
            step = Step.SNAPSHOT_LENGTH;
        } else if (line.startsWith("+CONTINUE")) {
            String id = line.length() > "+CONTINUE ".length() ? line.substring("+CONTINUE ".length()).trim() : null;
            step = Step.DONE;
            follower.continued(this, context.channel(), id);
        } else if (line.startsWith("-NOMASTERLINK") || line.startsWith("-LOADING")) {
            follower.psyncRefused();
            throw new IOException("Master is currently unable to PSYNC but should be in the future: " + line);
        } else {
            follower.psyncRefused();
            throw new IOException("Unexpected reply to PSYNC from master: " + line);
        }
    }

    private void snapshotLength(String line) throws IOException {
        if (line.startsWith("-")) {
            throw new IOException("MASTER aborted replication with an error: " + line.substring(1));
        }
        long length;
        try {
            length = line.startsWith("$") ? Long.parseLong(line.substring(1)) : -1;
        } catch (NumberFormatException e) {
            length = -1;
        }
        if (length < 0) {
            throw new IOException("Bad protocol from MASTER, the first byte is not '$' (we received '" + line
                    + "'), are you sure the host and port are right?");
        }
        follower.log().notice("MASTER <-> REPLICA sync: receiving " + length + " bytes from master to disk");
        receiver = SnapshotReceiver.open(follower.transferFile(), context.channel());
        snapshotLeft = length;
        follower.transferStarted(length);
        step = Step.SNAPSHOT;
    }

    /** Hands the snapshot's bytes in {@code bytes} to the receiver, without a copy; the rest stays. */
    private void receiveSnapshot(ByteBuf bytes) {
        int chunk = (int) Math.min(snapshotLeft, bytes.readableBytes());
        if (chunk > 0) {
            receiver.write(bytes.readRetainedSlice(chunk));
            snapshotLeft -= chunk;
            follower.transferred(chunk);
        }
        if (snapshotLeft == 0) {
            step = Step.DONE;
            SnapshotReceiver received = receiver;
            receiver = null;
            received.finish(error -> follower.snapshotReceived(this, context.channel(), received.file(), error));
        }
    }

    /**
     * What arrived past the handshake, the start of the master's stream, taken by the follower as it
     * removes this handler (so nothing arrives between).
     */
    ByteBuf takeRest() {
        ByteBuf rest = input.isReadable() ? input.retainedSlice() : Unpooled.EMPTY_BUFFER;
        input.skipBytes(input.readableBytes());
        return rest;
    }

    private void send(String... args) {
        ByteBuf request = context.alloc().buffer();
        RespWriter writer = new RespWriter(2);
        writer.target(request);
        writer.array(args.length);
        for (String arg : args) {
            writer.bulk(arg);
        }
        context.writeAndFlush(request);
    }
}
