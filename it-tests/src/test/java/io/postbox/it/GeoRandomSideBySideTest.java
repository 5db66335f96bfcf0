package io.postbox.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.postbox.it.support.InJvmPostbox;
import io.postbox.it.support.RawConnection;
import io.postbox.it.support.ReferenceRedis;
import io.postbox.it.support.ReplyShape;
import io.postbox.it.support.RespValue;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Random GEO searches, sent to Postbox and to the reference Redis, replies compared byte for byte.
 * Both servers hold the same points: clusters around a few centres (near either pole, astride the
 * antimeridian, anywhere) and points spread over the whole map, in a set past the packed limit (a skip
 * list) and in one under it (a listpack). An unsorted reply lists the points in the order Redis walks
 * the geohash boxes around the centre, so that order must match too, as must every distance,
 * coordinate and hash to the last digit, and what GEOSEARCHSTORE and GEORADIUS STORE leave behind.
 * Distances stored with STOREDIST are compared to within a few units in their last place: fdlibm's
 * arcsine, which Java's is and Postbox's follows, rounds differently from glibc's in about 6% of calls
 * (1 ulp), and the last of 17 digits shows it.
 *
 * <p>No two points of a set share a latitude cell of the geohash, so no two are the same distance from
 * any centre: ASC, DESC and COUNT (which sorts, unless ANY) have one right answer, whatever sort
 * either server uses.
 */
class GeoRandomSideBySideTest {

    private static final String[] UNITS = {"m", "km", "ft", "mi"};
    /** Metres in each of {@link #UNITS}, as Redis converts them. */
    private static final double[] METRES = {1, 1000, 0.3048, 1609.34};
    /** The latitude limit of Redis's geohash, which its cells divide. */
    private static final double MAX_LATITUDE = 85.05112878;
    private static final String MISSING_MEMBER = "nowhere";
    /** How far apart, in units of the last place, the two servers' distances may be. */
    private static final int DISTANCE_ULPS = 4;

    /**
     * Fixed seeds, so a run in CI is the same every time, as in the streams test; a failure names the
     * seed, the step and the command, and shows both replies.
     */
    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3})
    void randomGeoCommandsReplyAsRedisDoes(long seed) throws Exception {
        ReferenceRedis reference = ReferenceRedis.require();
        InJvmPostbox postbox = InJvmPostbox.shared();
        Random random = new Random(seed);
        String prefix = "random-geo:" + Long.toHexString(seed) + ":";
        String dest = prefix + "dest";
        byte[] destBytes = dest.getBytes(StandardCharsets.ISO_8859_1);
        try (RawConnection redis = new RawConnection(reference.port());
             RawConnection ours = new RawConnection(postbox.port())) {
            GeoSet large = build(redis, ours, random, "seed " + seed, prefix + "large", 500 + random.nextInt(1500));
            GeoSet small = build(redis, ours, random, "seed " + seed, prefix + "small", 20 + random.nextInt(100));
            for (int step = 0; step < 1000; step++) {
                GeoSet set = random.nextInt(4) == 0 ? small : large;
                List<byte[]> command = randomCommand(random, set, prefix + "missing", dest);
                String context = "seed " + seed + " step " + step;
                assertSameReply(redis, ours, command, context);
                // Only the store commands name dest.
                if (command.stream().anyMatch(arg -> Arrays.equals(arg, destBytes))) {
                    List<byte[]> stored = args("ZRANGE", dest, "0", "-1", "WITHSCORES");
                    String what = context + ", what was stored by " + RawConnection.describe(command);
                    if (command.stream().anyMatch(arg -> new String(arg, StandardCharsets.ISO_8859_1)
                            .equalsIgnoreCase("storedist"))) {
                        assertSameDistances(redis.call(stored), ours.call(stored), what);
                    } else {
                        assertSameReply(redis, ours, stored, what);
                    }
                }
            }
            assertSameReply(redis, ours, args("DEL", large.key(), small.key(), dest), "seed " + seed);
        }
    }

    /**
     * Adds {@code size} points to {@code key} on both servers, a fifth anywhere and the rest in five
     * clusters, and checks that the two sets are the same, scores (the geohashes) and encoding included.
     */
    private static GeoSet build(RawConnection redis, RawConnection ours, Random random, String context, String key,
                                int size) throws IOException {
        List<Cluster> clusters = List.of(
                new Cluster(new Point(longitude(random), 80 + 5 * random.nextDouble()), spread(random)),
                new Cluster(new Point(longitude(random), -80 - 5 * random.nextDouble()), spread(random)),
                new Cluster(new Point(180, 120 * random.nextDouble() - 60), spread(random)),
                new Cluster(new Point(longitude(random), latitude(random)), spread(random)),
                new Cluster(new Point(longitude(random), latitude(random)), spread(random)));
        List<String> members = new ArrayList<>();
        List<Point> points = new ArrayList<>();
        List<String> triples = new ArrayList<>();
        Set<Long> latitudeCells = new HashSet<>();
        while (members.size() < size) {
            Point point = random.nextInt(5) == 0 ? new Point(longitude(random), latitude(random))
                    : near(random, clusters.get(random.nextInt(clusters.size())));
            String latitude = decimal(point.latitude());
            if (latitudeCells.add(latitudeCell(Double.parseDouble(latitude)))) {
                String member = "m" + members.size();
                members.add(member);
                points.add(point);
                triples.addAll(List.of(decimal(point.longitude()), latitude, member));
            }
        }
        for (int from = 0; from < triples.size(); from += 300) {
            List<String> geoadd = new ArrayList<>(List.of("GEOADD", key));
            geoadd.addAll(triples.subList(from, Math.min(triples.size(), from + 300)));
            assertSameReply(redis, ours, args(geoadd), context);
        }
        assertSameReply(redis, ours, args("OBJECT", "ENCODING", key), context);
        assertSameReply(redis, ours, args("ZRANGE", key, "0", "-1", "WITHSCORES"), context);
        return new GeoSet(key, members, points);
    }

    private static List<byte[]> randomCommand(Random random, GeoSet set, String missingKey, String dest) {
        String key = random.nextInt(50) == 0 ? missingKey : set.key();
        switch (random.nextInt(20)) {
            case 0, 1, 2, 3, 4, 5, 6, 7 -> {
                List<List<String>> groups = options(random, true);
                groups.add(from(random, set));
                groups.add(shape(random));
                return search(random, List.of("GEOSEARCH", key), groups);
            }
            case 8, 9, 10 -> {
                List<List<String>> groups = options(random, false);
                groups.add(from(random, set));
                groups.add(shape(random));
                if (random.nextBoolean()) {
                    groups.add(List.of("STOREDIST"));
                }
                return search(random, List.of("GEOSEARCHSTORE", dest, key), groups);
            }
            case 11, 12, 13 -> {
                Point centre = centre(random, set);
                return radius(random, "GEORADIUS", key, List.of(decimal(centre.longitude()),
                        decimal(centre.latitude())), dest);
            }
            case 14, 15, 16 -> {
                return radius(random, "GEORADIUSBYMEMBER", key, List.of(member(random, set)), dest);
            }
            case 17 -> {
                List<String> command = new ArrayList<>(List.of("GEODIST", key, member(random, set),
                        member(random, set)));
                if (random.nextBoolean()) {
                    command.add(UNITS[random.nextInt(UNITS.length)]);
                }
                return args(command);
            }
            default -> {
                List<String> command = new ArrayList<>(List.of(random.nextBoolean() ? "GEOPOS" : "GEOHASH", key));
                for (int i = 1 + random.nextInt(5); i > 0; i--) {
                    command.add(member(random, set));
                }
                return args(command);
            }
        }
    }

    /** {@code head} followed by {@code groups} in a random order, as GEOSEARCH takes them. */
    private static List<byte[]> search(Random random, List<String> head, List<List<String>> groups) {
        Collections.shuffle(groups, random);
        List<String> command = new ArrayList<>(head);
        groups.forEach(command::addAll);
        return args(command);
    }

    /**
     * A GEORADIUS or GEORADIUSBYMEMBER (or their read-only forms) around {@code centre}, a longitude and
     * latitude or a member, storing into {@code dest} now and then instead of replying.
     */
    private static List<byte[]> radius(Random random, String name, String key, List<String> centre, String dest) {
        boolean readOnly = random.nextInt(4) == 0;
        boolean store = !readOnly && random.nextInt(4) == 0;
        List<String> command = new ArrayList<>(List.of(readOnly ? name + "_RO" : name, key));
        command.addAll(centre);
        int unit = random.nextInt(UNITS.length);
        command.addAll(List.of(distance(random, unit), UNITS[unit]));
        List<List<String>> groups = options(random, !store);
        if (store) {
            groups.add(List.of(random.nextBoolean() ? "STORE" : "STOREDIST", dest));
        }
        Collections.shuffle(groups, random);
        groups.forEach(command::addAll);
        return args(command);
    }

    /** The options that follow a search's centre and shape: order, COUNT (with ANY or not), WITH... */
    private static List<List<String>> options(Random random, boolean withs) {
        List<List<String>> groups = new ArrayList<>();
        int order = random.nextInt(3);
        if (order > 0) {
            groups.add(List.of(order == 1 ? "ASC" : "DESC"));
        }
        if (random.nextInt(3) == 0) {
            String count = Integer.toString(1 + random.nextInt(random.nextBoolean() ? 5 : 200));
            groups.add(random.nextBoolean() ? List.of("COUNT", count) : List.of("COUNT", count, "ANY"));
        }
        if (withs) {
            for (String with : new String[] {"WITHCOORD", "WITHDIST", "WITHHASH"}) {
                if (random.nextBoolean()) {
                    groups.add(List.of(with));
                }
            }
        }
        return groups;
    }

    /** A search's centre: a member of the set, or a longitude and latitude, mostly near one. */
    private static List<String> from(Random random, GeoSet set) {
        if (random.nextInt(3) == 0) {
            return List.of("FROMMEMBER", member(random, set));
        }
        Point centre = centre(random, set);
        return List.of("FROMLONLAT", decimal(centre.longitude()), decimal(centre.latitude()));
    }

    /** Anywhere now and then, mostly within some kilometres of a point of the set, so most searches find some. */
    private static Point centre(Random random, GeoSet set) {
        return random.nextInt(8) == 0 ? new Point(longitude(random), latitude(random))
                : near(random, new Cluster(set.points().get(random.nextInt(set.points().size())),
                        spread(random) / 100));
    }

    /** A search's shape: a radius, or a box of random width and height. */
    private static List<String> shape(Random random) {
        int unit = random.nextInt(UNITS.length);
        return random.nextBoolean() ? List.of("BYRADIUS", distance(random, unit), UNITS[unit])
                : List.of("BYBOX", distance(random, unit), distance(random, unit), UNITS[unit]);
    }

    /** A distance from 0 to 10,000 km in {@code UNITS[unit]}, every power of ten from 10 m as likely. */
    private static String distance(Random random, int unit) {
        if (random.nextInt(20) == 0) {
            return "0";
        }
        double metres = Math.pow(10, 1 + 6 * random.nextDouble());
        return String.format(Locale.ROOT, "%.3f", metres / METRES[unit]);
    }

    /** A member of the set, now and then one it does not have. */
    private static String member(Random random, GeoSet set) {
        return random.nextInt(30) == 0 ? MISSING_MEMBER : set.members().get(random.nextInt(set.members().size()));
    }

    /** A point about {@code cluster}, wrapped across the antimeridian and turned back short of the poles. */
    private static Point near(Random random, Cluster cluster) {
        double longitude = Math.IEEEremainder(cluster.centre().longitude() + random.nextGaussian() * cluster.spread(),
                360);
        double latitude = cluster.centre().latitude() + random.nextGaussian() * cluster.spread();
        if (latitude > 85) {
            latitude = 170 - latitude;
        } else if (latitude < -85) {
            latitude = -170 - latitude;
        }
        return new Point(longitude, latitude);
    }

    /** A cluster's standard deviation in degrees: about a kilometre to some hundreds. */
    private static double spread(Random random) {
        double[] spreads = {0.01, 0.1, 1, 5};
        return spreads[random.nextInt(spreads.length)];
    }

    private static double longitude(Random random) {
        return 360 * random.nextDouble() - 180;
    }

    private static double latitude(Random random) {
        return 170 * random.nextDouble() - 85;
    }

    /** The row of 52-bit geohash cells a latitude falls in, computed as Redis's geohashEncode does. */
    private static long latitudeCell(double latitude) {
        return (long) ((latitude + MAX_LATITUDE) / (2 * MAX_LATITUDE) * (1L << 26));
    }

    private static String decimal(double value) {
        return String.format(Locale.ROOT, "%.6f", value);
    }

    private static List<byte[]> args(String... words) {
        return RawConnection.command(words);
    }

    private static List<byte[]> args(List<String> words) {
        return RawConnection.command(words.toArray(String[]::new));
    }

    private static void assertSameReply(RawConnection redis, RawConnection ours, List<byte[]> command,
                                        String context) throws IOException {
        assertEquals(ReplyShape.printable(redis.call(command)), ReplyShape.printable(ours.call(command)),
                context + ": " + RawConnection.describe(command));
    }

    /** The same members with the same distances, give or take {@link #DISTANCE_ULPS} in their last place. */
    private static void assertSameDistances(byte[] redis, byte[] ours, String context) {
        List<RespValue> expected = RespValue.parse(redis).elements();
        List<RespValue> actual = RespValue.parse(ours).elements();
        String replies = context + "\n    redis:   " + ReplyShape.printable(redis) + "\n    postbox: "
                + ReplyShape.printable(ours);
        assertEquals(expected.size(), actual.size(), replies);
        for (int i = 0; i < expected.size(); i += 2) {
            assertEquals(expected.get(i).text(), actual.get(i).text(), replies);
            double want = Double.parseDouble(expected.get(i + 1).text());
            double got = Double.parseDouble(actual.get(i + 1).text());
            assertTrue(Math.abs(want - got) <= DISTANCE_ULPS * Math.ulp(want), replies);
        }
    }

    private record Point(double longitude, double latitude) {
    }

    /** Points about {@code centre}, with a standard deviation of {@code spread} degrees either way. */
    private record Cluster(Point centre, double spread) {
    }

    /** A set's key, and its members and their points in the order they were added. */
    private record GeoSet(String key, List<String> members, List<Point> points) {
    }
}
