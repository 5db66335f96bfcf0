package io.postbox.commands.geo;

import io.postbox.commands.Errors;
import io.postbox.commands.Invocation;
import io.postbox.commands.zsets.Scores;
import io.postbox.resp.DoubleFormat;
import io.postbox.resp.ErrorReply;

/** The arguments GEO commands share: a point, a distance with its unit, and the checks Redis makes of them. */
final class GeoArguments {

    private static final ErrorReply RADIUS_NOT_A_NUMBER = Errors.err("need numeric radius");
    private static final ErrorReply NEGATIVE_RADIUS = Errors.err("radius cannot be negative");
    private static final ErrorReply WIDTH_NOT_A_NUMBER = Errors.err("need numeric width");
    private static final ErrorReply HEIGHT_NOT_A_NUMBER = Errors.err("need numeric height");
    private static final ErrorReply NEGATIVE_BOX = Errors.err("height or width cannot be negative");

    private GeoArguments() {
    }

    /** The longitude and latitude at {@code index} and the argument after it, inside the grid. */
    static double[] point(Invocation call, int index) {
        double longitude = Scores.parse(call.arg(index));
        double latitude = Scores.parse(call.arg(index + 1));
        if (longitude < GeoHash.MIN_LONGITUDE || longitude > GeoHash.MAX_LONGITUDE
                || latitude < GeoHash.MIN_LATITUDE || latitude > GeoHash.MAX_LATITUDE) {
            throw Errors.err("invalid longitude,latitude pair " + DoubleFormat.fixed(longitude, 6) + ","
                    + DoubleFormat.fixed(latitude, 6));
        }
        return new double[] {longitude, latitude};
    }

    /** A circle, not yet centred: the radius at {@code index}, its unit after it. */
    static GeoShape circle(Invocation call, int index) {
        double radius = Scores.parse(call.arg(index), RADIUS_NOT_A_NUMBER);
        if (radius < 0) {
            throw NEGATIVE_RADIUS;
        }
        return GeoShape.circle(radius, DistanceUnit.meters(call.arg(index + 1)));
    }

    /** A box, not yet centred: width and height from {@code index}, their unit after them. */
    static GeoShape box(Invocation call, int index) {
        double width = Scores.parse(call.arg(index), WIDTH_NOT_A_NUMBER);
        double height = Scores.parse(call.arg(index + 1), HEIGHT_NOT_A_NUMBER);
        if (width < 0 || height < 0) {
            throw NEGATIVE_BOX;
        }
        return GeoShape.box(width, height, DistanceUnit.meters(call.arg(index + 2)));
    }
}
