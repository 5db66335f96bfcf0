package io.postbox.commands.geo;

/**
 * Distances on the Earth as Redis measures them: the haversine great-circle distance on a sphere of
 * Redis's radius, with Redis 7.0's operations in Redis's order, so that the doubles come out the same.
 *
 * <p>The distance is {@link #arc} of the {@link #haversine}. A search compares haversines with
 * {@link #haversineOf} its limit instead of distances, and takes the arcsine only for the points it
 * keeps and for those too near the limit to tell apart ({@link #within}): most of the points a search
 * reads lie outside its shape.
 */
final class Earth {

    /** Redis's EARTH_RADIUS_IN_METERS: the quadratic mean radius of the WGS-84 ellipsoid. */
    static final double RADIUS_METERS = 6372797.560856;

    private static final double RADIANS_PER_DEGREE = Math.PI / 180.0;
    /**
     * How far apart, relatively, a haversine and its limit must be for the comparison to decide: a
     * billion times the rounding of the arcsine, square root and sine between them.
     */
    private static final double UNDECIDED = 1e-9;

    private Earth() {
    }

    static double radians(double degrees) {
        return degrees * RADIANS_PER_DEGREE;
    }

    static double degrees(double radians) {
        return radians / RADIANS_PER_DEGREE;
    }

    /** The distance in meters between two points. */
    static double distance(double longitude1, double latitude1, double longitude2, double latitude2) {
        return arc(haversine(longitude1, latitude1, longitude2, latitude2));
    }

    /** The haversine of the angle between two points, which grows with their distance. */
    static double haversine(double longitude1, double latitude1, double longitude2, double latitude2) {
        double latitude1r = radians(latitude1);
        double longitude1r = radians(longitude1);
        double latitude2r = radians(latitude2);
        double longitude2r = radians(longitude2);
        double u = Math.sin((latitude2r - latitude1r) / 2);
        double v = Math.sin((longitude2r - longitude1r) / 2);
        return u * u + Math.cos(latitude1r) * Math.cos(latitude2r) * v * v;
    }

    /** The distance in meters a haversine stands for. */
    static double arc(double haversine) {
        return 2.0 * RADIUS_METERS * Arcsine.asin(Math.sqrt(haversine));
    }

    /** The haversine of {@code meters}; infinite past half the Earth's circumference, which no two points are. */
    static double haversineOf(double meters) {
        double angle = meters / (2.0 * RADIUS_METERS);
        if (angle >= Math.PI / 2) {
            return Double.POSITIVE_INFINITY;
        }
        double s = Math.sin(angle);
        return s * s;
    }

    /**
     * Whether {@code arc(haversine) <= meters}, where {@code limit} is {@code haversineOf(meters)}:
     * decided on the haversines unless they are too close, then on the distance, as Redis decides.
     */
    static boolean within(double haversine, double limit, double meters) {
        if (haversine < limit * (1 - UNDECIDED)) {
            return true;
        }
        return !beyond(haversine, limit) && arc(haversine) <= meters;
    }

    /** Whether the haversine is surely beyond {@code limit}, the haversine of a distance. */
    static boolean beyond(double haversine, double limit) {
        return haversine > limit * (1 + UNDECIDED);
    }
}
