package io.postbox.commands.connection;

import io.postbox.commands.Invocation;
import io.postbox.resp.ErrorReply;
import io.postbox.resp.Reply;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * DEBUG PROTOCOL {@code <type>}: one reply of each RESP type, with Redis's values, so a client can check
 * how it reads them. RESP2 gets each as Redis degrades it; a push needs RESP3, and an attribute, dropped
 * in RESP2, precedes an ordinary reply.
 */
final class DebugProtocol {

    private static final ErrorReply UNKNOWN_TYPE = new ErrorReply("ERR Wrong protocol type name. Please use one of "
            + "the following: string|integer|double|bignum|null|array|set|map|attrib|push|verbatim|true|false");
    private static final ErrorReply NO_PUSH_IN_RESP2 = new ErrorReply("ERR RESP2 is not supported by this command");

    private DebugProtocol() {
    }

    static void reply(Invocation call) {
        Reply reply = call.reply();
        switch (call.argString(2).toLowerCase(Locale.ROOT)) {
            case "string" -> reply.bulk("Hello World");
            case "integer" -> reply.integer(12345);
            case "double" -> reply.doubleValue(3.141);
            case "bignum" -> reply.bigNumber(ascii("1234567999999999999999999999999999999"));
            case "null" -> reply.nullBulk();
            case "array" -> {
                reply.array(3);
                integers(reply);
            }
            case "set" -> {
                reply.set(3);
                integers(reply);
            }
            case "map" -> {
                reply.map(3);
                for (int i = 0; i < 3; i++) {
                    reply.integer(i);
                    reply.bool(i == 1);
                }
            }
            case "attrib" -> {
                Reply attribute = reply.attribute(1);
                attribute.bulk("key-popularity");
                attribute.array(2);
                attribute.bulk("key:123");
                attribute.integer(90);
                reply.bulk("Some real reply following the attribute");
            }
            case "push" -> {
                if (reply.protocol() < 3) {
                    throw NO_PUSH_IN_RESP2;
                }
                reply.push(2);
                reply.bulk("server-cpu-usage");
                reply.integer(42);
                // A client that skips pushes still gets the reply it waits for.
                reply.bulk("Some real reply following the push reply");
            }
            case "verbatim" -> reply.verbatim("txt", ascii("This is a verbatim\nstring"));
            case "true" -> reply.bool(true);
            case "false" -> reply.bool(false);
            default -> throw UNKNOWN_TYPE;
        }
    }

    private static void integers(Reply reply) {
        for (int i = 0; i < 3; i++) {
            reply.integer(i);
        }
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
