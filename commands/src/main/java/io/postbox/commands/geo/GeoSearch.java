package io.postbox.commands.geo;

import io.postbox.commands.Errors;
import io.postbox.commands.Invocation;
import io.postbox.commands.zsets.SortedSet;
import io.postbox.commands.zsets.SortedSetLoader;
import io.postbox.commands.zsets.SortedSetStore;
import io.postbox.resp.ErrorReply;
import io.postbox.resp.Reply;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The searches: GEORADIUS, GEORADIUSBYMEMBER, their read-only variants, GEOSEARCH and GEOSEARCHSTORE,
 * one command parsed as Redis's georadiusGeneric parses it, with its checks in Redis's order.
 *
 * <p>A search reads the members scored inside each cell of its {@link SearchArea} and keeps those
 * inside the shape; unsorted, they come in the order of the cells, then of the scores. With COUNT and
 * no order the nearest come first; with ANY, the first found, and the search stops there.
 */
final class GeoSearch {

    private static final ErrorReply NOT_A_MEMBER = Errors.err("could not decode requested zset member");
    private static final ErrorReply COUNT_NOT_POSITIVE = Errors.err("COUNT must be > 0");
    private static final ErrorReply ANY_WITHOUT_COUNT = Errors.err("the ANY argument requires COUNT argument");

    /** How each command names its centre and shape, and where the options start. */
    enum Variant {
        /** GEORADIUS key longitude latitude radius unit [options]. */
        RADIUS(1, 6, true),
        RADIUS_RO(1, 6, false),
        /** GEORADIUSBYMEMBER key member radius unit [options]. */
        RADIUS_BY_MEMBER(1, 5, true),
        RADIUS_BY_MEMBER_RO(1, 5, false),
        /** GEOSEARCH key FROMMEMBER|FROMLONLAT ... BYRADIUS|BYBOX ... [options]. */
        SEARCH(1, 2, false),
        /** GEOSEARCHSTORE destination source ...: stores, never replies members. */
        SEARCH_STORE(2, 3, false);

        final int sourceIndex;
        final int optionsIndex;
        /** Whether STORE key and STOREDIST key are options. */
        final boolean storeOptions;

        Variant(int sourceIndex, int optionsIndex, boolean storeOptions) {
            this.sourceIndex = sourceIndex;
            this.optionsIndex = optionsIndex;
            this.storeOptions = storeOptions;
        }

        boolean search() {
            return this == SEARCH || this == SEARCH_STORE;
        }

        boolean byMember() {
            return this == RADIUS_BY_MEMBER || this == RADIUS_BY_MEMBER_RO;
        }
    }

    /** A member found, where it is and how far from the centre (in meters until the reply). */
    private record Found(byte[] member, double score, double longitude, double latitude, double distance) {
    }

    private enum Order { NONE, ASC, DESC }

    private GeoSearch() {
    }

    /** Runs the search {@code variant} names: each GEO search command is one of them. */
    static void search(Invocation call, Variant variant) {
        SortedSet set = call.db().get(call.arg(variant.sourceIndex), SortedSet.class);
        double[] centre = null;
        GeoShape shape = null;
        if (variant == Variant.RADIUS || variant == Variant.RADIUS_RO) {
            centre = GeoArguments.point(call, 2);
            shape = GeoArguments.circle(call, 4);
        } else if (variant.byMember() && set != null) {
            // Without a source key neither the member nor the radius is read: the reply is empty.
            centre = memberPoint(set, call.arg(2));
            shape = GeoArguments.circle(call, 3);
        }
        byte[] destination = variant == Variant.SEARCH_STORE ? call.arg(1) : null;
        boolean storeDistances = false;
        boolean withDistance = false;
        boolean withHash = false;
        boolean withCoordinates = false;
        boolean any = false;
        Order order = Order.NONE;
        long count = 0;
        boolean fromMember = false;
        boolean fromLonLat = false;
        boolean byBox = false;
        boolean byRadius = false;
        int argc = call.argc();
        for (int i = variant.optionsIndex; i < argc; i++) {
            int following = argc - i - 1;
            if (call.argIs(i, "withdist")) {
                withDistance = true;
            } else if (call.argIs(i, "withhash")) {
                withHash = true;
            } else if (call.argIs(i, "withcoord")) {
                withCoordinates = true;
            } else if (call.argIs(i, "any")) {
                any = true;
            } else if (call.argIs(i, "asc")) {
                order = Order.ASC;
            } else if (call.argIs(i, "desc")) {
                order = Order.DESC;
            } else if (call.argIs(i, "count") && following >= 1) {
                count = call.longArg(++i);
                if (count <= 0) {
                    throw COUNT_NOT_POSITIVE;
                }
            } else if ((call.argIs(i, "store") || call.argIs(i, "storedist")) && following >= 1
                    && variant.storeOptions) {
                storeDistances = call.argIs(i, "storedist");
                destination = call.arg(++i);
            } else if (call.argIs(i, "storedist") && variant == Variant.SEARCH_STORE) {
                storeDistances = true;
            } else if (call.argIs(i, "frommember") && following >= 1 && variant.search() && !fromLonLat) {
                // Without a source key the member is not looked up: the reply is empty whatever it is.
                if (set != null) {
                    centre = memberPoint(set, call.arg(i + 1));
                }
                fromMember = true;
                i++;
            } else if (call.argIs(i, "fromlonlat") && following >= 2 && variant.search() && !fromMember) {
                centre = GeoArguments.point(call, i + 1);
                fromLonLat = true;
                i += 2;
            } else if (call.argIs(i, "byradius") && following >= 2 && variant.search() && !byBox) {
                shape = GeoArguments.circle(call, i + 1);
                byRadius = true;
                i += 2;
            } else if (call.argIs(i, "bybox") && following >= 3 && variant.search() && !byRadius) {
                shape = GeoArguments.box(call, i + 1);
                byBox = true;
                i += 3;
            } else {
                throw Errors.SYNTAX;
            }
        }
        if (destination != null && (withDistance || withHash || withCoordinates)) {
            throw Errors.err((variant == Variant.SEARCH_STORE ? "GEOSEARCHSTORE" : "STORE option in GEORADIUS")
                    + " is not compatible with WITHDIST, WITHHASH and WITHCOORD options");
        }
        // Redis names the command as the client spelled it.
        String name = call.argString(0);
        if (variant.search() && !fromMember && !fromLonLat) {
            throw Errors.err("exactly one of FROMMEMBER or FROMLONLAT can be specified for " + name);
        }
        if (variant.search() && shape == null) {
            throw Errors.err("exactly one of BYRADIUS and BYBOX can be specified for " + name);
        }
        if (any && count == 0) {
            throw ANY_WITHOUT_COUNT;
        }
        if (set == null) {
            if (destination != null) {
                SortedSetStore.store(call, destination, null, storeEvent(variant));
            } else {
                call.reply().array(0);
            }
            return;
        }
        shape = shape.centredAt(centre[0], centre[1]);
        if (count != 0 && order == Order.NONE && !any) {
            order = Order.ASC;
        }
        List<Found> found = found(set, shape, order, count, any);
        if (destination != null) {
            SortedSetLoader result = new SortedSetLoader(call.engine().config());
            for (Found point : found) {
                result.add(point.member(), storeDistances ? point.distance() / shape.unitMeters() : point.score());
            }
            SortedSetStore.store(call, destination, result.finish(), storeEvent(variant));
            return;
        }
        reply(call.reply(), found, shape.unitMeters(), withDistance, withHash, withCoordinates);
    }

    private static String storeEvent(Variant variant) {
        return variant.search() ? "geosearchstore" : "georadiusstore";
    }

    /** Where {@code member} of the set is; ERR could not decode if it is not in the set. */
    private static double[] memberPoint(SortedSet set, byte[] member) {
        double score = set.score(member);
        if (Double.isNaN(score)) {
            throw NOT_A_MEMBER;
        }
        GeoHash cell = GeoHash.ofScore(score);
        return new double[] {cell.longitude(), cell.latitude()};
    }

    /**
     * What the search replies, in its order: with ANY the first {@code count} found, sorted if asked;
     * otherwise all, or the {@code count} nearest (farthest, for DESC), ties in the order found.
     */
    private static List<Found> found(SortedSet set, GeoShape shape, Order order, long count, boolean any) {
        if (order == Order.NONE || any) {
            List<Found> found = find(set, shape, any ? count : 0);
            if (order != Order.NONE) {
                Comparator<Found> nearest = Comparator.comparingDouble(Found::distance);
                found.sort(order == Order.ASC ? nearest : nearest.reversed());
            }
            return found;
        }
        int kept = count == 0 ? Integer.MAX_VALUE : (int) Math.min(count, Integer.MAX_VALUE);
        return nearest(set, shape, kept, order == Order.DESC);
    }

    /** The members inside the shape, cell after cell; at most {@code limit} unless it is 0. */
    private static List<Found> find(SortedSet set, GeoShape shape, long limit) {
        List<Found> found = new ArrayList<>();
        walk(set, shape, (member, score, longitude, latitude, distance) -> {
            found.add(new Found(member, score, longitude, latitude, distance));
            return limit == 0 || found.size() < limit;
        });
        return found;
    }

    /** The {@code count} members inside the shape nearest its centre (farthest if asked), in order. */
    private static List<Found> nearest(SortedSet set, GeoShape shape, int count, boolean farthestFirst) {
        NearestPoints<Found> nearest = new NearestPoints<>(count, farthestFirst);
        walk(set, shape, (member, score, longitude, latitude, distance) -> {
            if (nearest.wants(distance)) {
                nearest.add(new Found(member, score, longitude, latitude, distance), distance);
            }
            return true;
        });
        return nearest.inOrder();
    }

    /** What a walk does with a member inside the shape; true to go on. */
    private interface Inside {
        boolean visit(byte[] member, double score, double longitude, double latitude, double distance);
    }

    /** Visits the members inside the shape, cell after cell, until {@code inside} says to stop. */
    private static void walk(SortedSet set, GeoShape shape, Inside inside) {
        GeoShape.Filter filter = shape.filter();
        boolean[] more = {true};
        for (GeoHash cell : SearchArea.cells(shape)) {
            if (!more[0]) {
                return;
            }
            set.visitScores(cell.lowestScore(), cell.scoreAfter(), (member, score) -> {
                GeoHash point = GeoHash.ofScore(score);
                double distance = filter.distanceIfInside(point.longitude(), point.latitude());
                if (distance >= 0) {
                    more[0] = inside.visit(member, score, point.longitude(), point.latitude(), distance);
                }
                return more[0];
            });
        }
    }

    private static void reply(Reply reply, List<Found> found, double unitMeters, boolean withDistance,
                              boolean withHash, boolean withCoordinates) {
        int extras = (withDistance ? 1 : 0) + (withHash ? 1 : 0) + (withCoordinates ? 1 : 0);
        reply.array(found.size());
        for (Found point : found) {
            if (extras > 0) {
                reply.array(extras + 1);
            }
            reply.bulk(point.member());
            if (withDistance) {
                GeoPoints.distance(reply, point.distance() / unitMeters);
            }
            if (withHash) {
                reply.integer((long) point.score());
            }
            if (withCoordinates) {
                reply.array(2);
                GeoPoints.coordinate(reply, point.longitude());
                GeoPoints.coordinate(reply, point.latitude());
            }
        }
    }
}
