package io.postbox.commands.geo;

/**
 * Distances on the Earth as Redis measures them: the haversine great-circle distance on a sphere of
 * Redis's radius, and the units its commands take.
 */
final class Earth {

    /** Redis's EARTH_RADIUS_IN_METERS: the quadratic mean radius of the WGS-84 ellipsoid. */
    static final double RADIUS_METERS = 6372797.560856;

    private static final double RADIANS_PER_DEGREE = Math.PI / 180.0;

    private Earth() {
    }

    static double radians(double degrees) {
        return degrees * RADIANS_PER_DEGREE;
    }

    static double degrees(double radians) {
        return radians / RADIANS_PER_DEGREE;
    }

    /** The distance in meters between two points, in the order of the operations Redis 7.0 does. */
    static double distance(double longitude1, double latitude1, double longitude2, double latitude2) {
        double latitude1r = radians(latitude1);
        double longitude1r = radians(longitude1);
        double latitude2r = radians(latitude2);
        double longitude2r = radians(longitude2);
        double u = Math.sin((latitude2r - latitude1r) / 2);
        double v = Math.sin((longitude2r - longitude1r) / 2);
        return 2.0 * RADIUS_METERS * Math.asin(Math.sqrt(u * u + Math.cos(latitude1r) * Math.cos(latitude2r) * v * v));
    }
}
