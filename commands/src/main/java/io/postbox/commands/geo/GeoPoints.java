package io.postbox.commands.geo;

import io.postbox.commands.Command;
import io.postbox.commands.Errors;
import io.postbox.commands.Invocation;
import io.postbox.commands.zsets.SortedSet;
import io.postbox.resp.DoubleFormat;
import io.postbox.resp.Reply;
import java.nio.charset.StandardCharsets;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * GEOADD, GEOPOS, GEODIST and GEOHASH: points kept as members of a sorted set, each scored with the
 * 52-bit geohash of its position ({@link GeoHash}).
 */
final class GeoPoints {

    private static final byte[] ZADD = "zadd".getBytes(StandardCharsets.US_ASCII);
    /** The standard geohash's base-32 digits. */
    private static final byte[] BASE32 = "0123456789bcdefghjkmnpqrstuvwxyz".getBytes(StandardCharsets.US_ASCII);
    private static final int GEOHASH_CHARACTERS = 11;

    private GeoPoints() {
    }

    /**
     * GEOADD key [NX|XX] [CH] longitude latitude member ...: as Redis does, the ZADD of the members
     * scored with their geohashes, which ZADD itself runs, replies to and is logged as.
     */
    static void geoadd(Invocation call) {
        boolean nx = false;
        boolean xx = false;
        int first = 2;
        for (; first < call.argc(); first++) {
            if (call.argIs(first, "nx")) {
                nx = true;
            } else if (call.argIs(first, "xx")) {
                xx = true;
            } else if (!call.argIs(first, "ch")) {
                // CH is ZADD's to act on; the first other word is a longitude.
                break;
            }
        }
        if ((call.argc() - first) % 3 != 0 || (nx && xx)) {
            throw Errors.SYNTAX;
        }
        int points = (call.argc() - first) / 3;
        byte[][] zadd = new byte[first + 2 * points][];
        zadd[0] = ZADD;
        System.arraycopy(call.args(), 1, zadd, 1, first - 1);
        for (int i = 0; i < points; i++) {
            double[] point = GeoArguments.point(call, first + 3 * i);
            long score = GeoHash.of(point[0], point[1], GeoHash.MAX_STEP).lowestScore();
            zadd[first + 2 * i] = Long.toString(score).getBytes(StandardCharsets.US_ASCII);
            zadd[first + 2 * i + 1] = call.arg(first + 3 * i + 2);
        }
        Command command = call.engine().commands().lookupOriginal(ZADD);
        command.handler().execute(new Invocation(call.engine(), call.client(), command, zadd));
        call.propagateAs(zadd);
    }

    /** GEOPOS key member ...: each member's longitude and latitude, or a null array for a missing one. */
    static void geopos(Invocation call) {
        replyPerMember(call, Reply::nullArray, (reply, cell) -> {
            reply.array(2);
            coordinate(reply, cell.longitude());
            coordinate(reply, cell.latitude());
        });
    }

    /** GEODIST key member1 member2 [unit]: the distance between two members, null if either is missing. */
    static void geodist(Invocation call) {
        double unitMeters = 1;
        if (call.argc() == 5) {
            unitMeters = DistanceUnit.meters(call.arg(4));
        } else if (call.argc() > 5) {
            throw Errors.SYNTAX;
        }
        SortedSet set = call.db().get(call.arg(1), SortedSet.class);
        double score1 = set == null ? Double.NaN : set.score(call.arg(2));
        double score2 = set == null ? Double.NaN : set.score(call.arg(3));
        if (Double.isNaN(score1) || Double.isNaN(score2)) {
            call.reply().nullBulk();
            return;
        }
        GeoHash a = GeoHash.ofScore(score1);
        GeoHash b = GeoHash.ofScore(score2);
        distance(call.reply(), Earth.distance(a.longitude(), a.latitude(), b.longitude(), b.latitude()) / unitMeters);
    }

    /**
     * GEOHASH key member ...: each member's position as an 11-character standard geohash (over
     * latitudes -90..90, where the stored hash spans Mercator's), or null for a missing member.
     */
    static void geohash(Invocation call) {
        replyPerMember(call, Reply::nullBulk, (reply, cell) -> {
            long bits = GeoHash.of(cell.longitude(), cell.latitude(), GeoHash.MAX_STEP, -90, 90).bits();
            byte[] text = new byte[GEOHASH_CHARACTERS];
            for (int c = 0; c < GEOHASH_CHARACTERS; c++) {
                // 52 bits make ten characters and two bits; like Redis, the eleventh is always '0'.
                text[c] = BASE32[c == GEOHASH_CHARACTERS - 1 ? 0 : (int) (bits >>> (52 - 5 * (c + 1))) & 0x1f];
            }
            reply.bulk(text);
        });
    }

    /** Replies an array: for each member named from argument 2 on, its cell, or {@code missing}. */
    private static void replyPerMember(Invocation call, Consumer<Reply> missing, BiConsumer<Reply, GeoHash> cell) {
        SortedSet set = call.db().get(call.arg(1), SortedSet.class);
        Reply reply = call.reply();
        reply.array(call.argc() - 2);
        for (int i = 2; i < call.argc(); i++) {
            double score = set == null ? Double.NaN : set.score(call.arg(i));
            if (Double.isNaN(score)) {
                missing.accept(reply);
            } else {
                cell.accept(reply, GeoHash.ofScore(score));
            }
        }
    }

    /** A distance as Redis replies it: a bulk string with four decimals. */
    static void distance(Reply reply, double distance) {
        reply.bulk(DoubleFormat.fixed(distance, 4).getBytes(StandardCharsets.US_ASCII));
    }

    /** A longitude or latitude as Redis replies it: a double in its {@code %.17Lf} form, trimmed. */
    static void coordinate(Reply reply, double degrees) {
        reply.doubleValue(degrees, DoubleFormat.human(degrees).getBytes(StandardCharsets.US_ASCII));
    }
}
