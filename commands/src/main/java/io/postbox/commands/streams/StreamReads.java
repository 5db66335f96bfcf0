package io.postbox.commands.streams;

import io.postbox.commands.Errors;
import io.postbox.commands.Invocation;
import io.postbox.commands.Numbers;
import io.postbox.commands.keyspace.Database;
import io.postbox.resp.ErrorReply;
import io.postbox.resp.Reply;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * XREAD and XREADGROUP: read the entries after an ID from one or more streams, or through a consumer
 * group, and with BLOCK wait for new ones (through {@link io.postbox.commands.blocking.BlockedClients},
 * as the blocking list pops do; see {@link StreamWait}). Arguments are checked in Redis's order, every
 * stream's ID before any is read.
 */
final class StreamReads {

    /** A blocked read without COUNT takes at most this many entries when woken, as Redis's. */
    static final long BLOCKED_DEFAULT_COUNT = 1000;

    /** Redis 7.0 words it so for XREADGROUP too. */
    private static final ErrorReply UNBALANCED = Errors.err(
            "Unbalanced XREAD list of streams: for each stream key an ID or '$' must be specified.");

    private StreamReads() {
    }

    /** The parsed request, one ID per stream; a group read's {@code >} is {@link StreamId#MAX}. */
    record Request(long timeout, long count, boolean noAck, byte[] group, byte[] consumer, List<byte[]> keys,
                   StreamId[] ids, StreamGroup[] groups) {
    }

    static void xread(Invocation call) {
        read(call, false);
    }

    static void xreadgroup(Invocation call) {
        read(call, true);
    }

    private static void read(Invocation call, boolean grouped) {
        Request request = parse(call, grouped);
        if (grouped) {
            // Logged as the consumers it creates and the deliveries it makes, not as itself.
            call.propagateEffectsOnly();
        }
        Database db = call.db();
        long now = call.now();
        List<byte[]> keys = request.keys();
        List<byte[]> servedKeys = new ArrayList<>();
        List<List<StreamEntry>> served = new ArrayList<>();
        for (int i = 0; i < keys.size(); i++) {
            byte[] key = keys.get(i);
            StreamValue stream = grouped ? db.getForWrite(key, StreamValue.class) : db.get(key, StreamValue.class);
            if (stream == null) {
                continue;
            }
            StreamId after = request.ids()[i];
            if (grouped) {
                StreamGroup group = request.groups()[i];
                boolean history = !after.equals(StreamId.MAX);
                if (!history && (stream.length == 0 || stream.lastValidId().compareTo(group.lastId) <= 0)) {
                    continue;
                }
                StreamConsumer consumer = GroupRead.consumer(db, now, key, group,
                        GroupCommands.name(request.consumer()), call::propagateAs);
                servedKeys.add(key);
                served.add(history
                        ? GroupRead.history(now, key, stream, group, consumer, after.next(), request.count(),
                                call::propagateAs)
                        : GroupRead.newEntries(now, key, stream, group, consumer, group.lastId,
                                request.count(), request.noAck(), call::propagateAs));
                // Redis 7.0 counts a change for each stream a group read serves at once (a history read,
                // an empty one too); none when it serves a reader that waited (StreamWait).
                db.countChanges(1);
            } else if (stream.length > 0 && stream.lastValidId().compareTo(after) > 0) {
                servedKeys.add(key);
                served.add(stream.range(after.next(), StreamId.MAX, request.count(), false));
            }
        }
        if (!servedKeys.isEmpty()) {
            reply(call.reply(), servedKeys, served);
            return;
        }
        if (request.timeout() < 0) {
            call.reply().nullArray();
            return;
        }
        StreamWait wait = new StreamWait(call.engine(), request);
        call.engine().blockedClients().block(call, keys, request.timeout(), wait);
    }

    /** RESP2: an array of [key, entries] pairs; RESP3: a map of key to entries. */
    static void reply(Reply reply, List<byte[]> keys, List<List<StreamEntry>> entries) {
        if (reply.protocol() == 2) {
            reply.array(keys.size());
        } else {
            reply.map(keys.size());
        }
        for (int i = 0; i < keys.size(); i++) {
            if (reply.protocol() == 2) {
                reply.array(2);
            }
            reply.bulk(keys.get(i));
            List<StreamEntry> list = entries.get(i);
            reply.array(list.size());
            for (StreamEntry entry : list) {
                if (entry.fieldsValues() == null) {
                    reply.array(2);
                    StreamReplies.id(reply, entry.id());
                    reply.nullArray();
                } else {
                    StreamReplies.entry(reply, entry);
                }
            }
        }
    }

    private static Request parse(Invocation call, boolean grouped) {
        long timeout = -1;
        long count = 0;
        boolean noAck = false;
        byte[] group = null;
        byte[] consumer = null;
        int streamsAt = 0;
        int argc = call.argc();
        for (int i = 1; i < argc; i++) {
            int more = argc - i - 1;
            if (call.argIs(i, "block") && more > 0) {
                if (call.client().isScript()) {
                    throw Errors.err(new String(call.arg(0), StandardCharsets.ISO_8859_1)
                            + " command is not allowed with BLOCK option from scripts");
                }
                i++;
                timeout = Numbers.parseLong(call.arg(i), Errors.err("timeout is not an integer or out of range"));
                if (timeout < 0) {
                    throw Errors.err("timeout is negative");
                }
                if (timeout > 0 && timeout > Long.MAX_VALUE - call.now()) {
                    throw Errors.err("timeout is out of range");
                }
            } else if (call.argIs(i, "count") && more > 0) {
                i++;
                count = Math.max(0, call.longArg(i));
            } else if (call.argIs(i, "streams") && more > 0) {
                streamsAt = i + 1;
                if ((argc - streamsAt) % 2 != 0) {
                    throw UNBALANCED;
                }
                break;
            } else if (call.argIs(i, "group") && more >= 2) {
                if (!grouped) {
                    throw Errors.err("The GROUP option is only supported by XREADGROUP. You called XREAD instead.");
                }
                group = call.arg(i + 1);
                consumer = call.arg(i + 2);
                i += 2;
            } else if (call.argIs(i, "noack")) {
                if (!grouped) {
                    throw Errors.err("The NOACK option is only supported by XREADGROUP. You called XREAD instead.");
                }
                noAck = true;
            } else {
                throw Errors.SYNTAX;
            }
        }
        if (streamsAt == 0) {
            throw Errors.SYNTAX;
        }
        if (grouped && group == null) {
            throw Errors.err("Missing GROUP option for XREADGROUP");
        }
        int streams = (argc - streamsAt) / 2;
        List<byte[]> keys = Arrays.asList(call.args()).subList(streamsAt, streamsAt + streams);
        StreamId[] ids = new StreamId[streams];
        StreamGroup[] groups = grouped ? new StreamGroup[streams] : null;
        Database db = call.db();
        for (int i = 0; i < streams; i++) {
            byte[] key = keys.get(i);
            byte[] idText = call.arg(streamsAt + streams + i);
            StreamValue stream = db.get(key, StreamValue.class);
            if (grouped) {
                StreamGroup found = stream == null ? null : stream.group(GroupCommands.name(group));
                if (found == null) {
                    throw new ErrorReply("NOGROUP No such key '" + GroupCommands.name(key)
                            + "' or consumer group '" + GroupCommands.name(group) + "' in XREADGROUP with GROUP option");
                }
                groups[i] = found;
            }
            if (idText.length == 1 && idText[0] == '$') {
                if (grouped) {
                    throw Errors.err("The $ ID is meaningless in the context of XREADGROUP: you want to read the"
                            + " history of this consumer by specifying a proper ID, or use the > ID to get new"
                            + " messages. The $ ID would just return an empty result set.");
                }
                ids[i] = stream == null ? StreamId.MIN : stream.lastId;
            } else if (idText.length == 1 && idText[0] == '>') {
                if (!grouped) {
                    throw Errors.err("The > ID can be specified only when calling XREADGROUP using the GROUP"
                            + " <group> <consumer> option.");
                }
                ids[i] = StreamId.MAX;
            } else {
                ids[i] = StreamId.parseStrict(idText);
            }
        }
        return new Request(timeout, count, noAck, group, consumer, keys, ids, groups);
    }
}
