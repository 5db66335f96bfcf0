package io.postbox.commands.geo;

/**
 * The area a search covers: a circle of {@code radius}, or an axis-aligned box of {@code width} by
 * {@code height}, around a centre; sizes in the unit the command was given, {@code unitMeters} meters
 * each.
 */
record GeoShape(double longitude, double latitude, boolean box, double radius, double width, double height,
                double unitMeters) {

    /** A circle around 0,0 until {@link #centredAt}: commands read the centre and the shape apart. */
    static GeoShape circle(double radius, double unitMeters) {
        return new GeoShape(0, 0, false, radius, 0, 0, unitMeters);
    }

    static GeoShape box(double width, double height, double unitMeters) {
        return new GeoShape(0, 0, true, 0, width, height, unitMeters);
    }

    /** The same shape around another centre. */
    GeoShape centredAt(double newLongitude, double newLatitude) {
        return new GeoShape(newLongitude, newLatitude, box, radius, width, height, unitMeters);
    }

    /**
     * The distance in meters from the centre to the point, or -1 if the point lies outside: beyond the
     * radius, or, for a box, farther east-west than half its width along the point's parallel or
     * north-south than half its height.
     */
    double distanceIfInside(double pointLongitude, double pointLatitude) {
        if (box) {
            double eastWest = Earth.distance(pointLongitude, pointLatitude, longitude, pointLatitude);
            double northSouth = Earth.distance(pointLongitude, pointLatitude, pointLongitude, latitude);
            if (eastWest > width * unitMeters / 2 || northSouth > height * unitMeters / 2) {
                return -1;
            }
            return Earth.distance(longitude, latitude, pointLongitude, pointLatitude);
        }
        double distance = Earth.distance(longitude, latitude, pointLongitude, pointLatitude);
        return distance > radius * unitMeters ? -1 : distance;
    }

    /** How far the shape reaches from its centre, in meters: the radius, or half the box's diagonal. */
    double reachMeters() {
        double reach = box ? Math.sqrt((width / 2) * (width / 2) + (height / 2) * (height / 2)) : radius;
        return reach * unitMeters;
    }

    /**
     * The box of longitudes and latitudes around the shape, as {min longitude, min latitude, max
     * longitude, max latitude}: its longitudes measured along the parallel nearer the pole, where a
     * distance spans more degrees.
     */
    double[] bounds() {
        double halfHeight = unitMeters * (box ? height / 2 : radius);
        double halfWidth = unitMeters * (box ? width / 2 : radius);
        double latitudeDelta = Earth.degrees(halfHeight / Earth.RADIUS_METERS);
        double longitudeDeltaTop = Earth.degrees(halfWidth / Earth.RADIUS_METERS
                / Math.cos(Earth.radians(latitude + latitudeDelta)));
        double longitudeDeltaBottom = Earth.degrees(halfWidth / Earth.RADIUS_METERS
                / Math.cos(Earth.radians(latitude - latitudeDelta)));
        double longitudeDelta = latitude < 0 ? longitudeDeltaBottom : longitudeDeltaTop;
        return new double[] {longitude - longitudeDelta, latitude - latitudeDelta,
                longitude + longitudeDelta, latitude + latitudeDelta};
    }
}
