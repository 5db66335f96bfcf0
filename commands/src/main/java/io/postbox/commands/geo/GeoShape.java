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

    /** What decides, point by point, whether this shape holds a point: its limits, worked out once. */
    Filter filter() {
        return new Filter(this);
    }

    /**
     * Tells the points inside the shape from the others, with Redis's distances: within the radius of
     * the centre, or for a box no farther east-west than half its width along the point's parallel
     * and no farther north-south than half its height.
     */
    static final class Filter {

        private final GeoShape shape;
        private final double limitMeters;
        private final double limit;
        private final double northSouthMeters;
        private final double northSouthLimit;
        /** The centre in radians, and its latitude's cosine: the circle's haversine needs them per point. */
        private final double longitudeRadians;
        private final double latitudeRadians;
        private final double latitudeCosine;

        private Filter(GeoShape shape) {
            this.shape = shape;
            this.longitudeRadians = Earth.radians(shape.longitude);
            this.latitudeRadians = Earth.radians(shape.latitude);
            this.latitudeCosine = Math.cos(latitudeRadians);
            this.limitMeters = shape.box ? shape.width * shape.unitMeters / 2 : shape.radius * shape.unitMeters;
            this.limit = Earth.haversineOf(limitMeters);
            this.northSouthMeters = shape.height * shape.unitMeters / 2;
            this.northSouthLimit = Earth.haversineOf(northSouthMeters);
        }

        /** The distance in meters from the centre to the point, or -1 if the point lies outside. */
        double distanceIfInside(double longitude, double latitude) {
            if (shape.box) {
                double eastWest = Earth.haversine(longitude, latitude, shape.longitude, latitude);
                double northSouth = Earth.haversine(longitude, latitude, longitude, shape.latitude);
                if (!Earth.within(eastWest, limit, limitMeters)
                        || !Earth.within(northSouth, northSouthLimit, northSouthMeters)) {
                    return -1;
                }
                return Earth.distance(shape.longitude, shape.latitude, longitude, latitude);
            }
            // Earth.haversine from the centre, in its order of operations, with the centre's part done once
            // and the longitude's part left out where the latitudes alone put the point beyond the limit.
            double pointLatitude = Earth.radians(latitude);
            double u = Math.sin((pointLatitude - latitudeRadians) / 2);
            if (Earth.beyond(u * u, limit)) {
                return -1;
            }
            double v = Math.sin((Earth.radians(longitude) - longitudeRadians) / 2);
            double haversine = u * u + latitudeCosine * Math.cos(pointLatitude) * v * v;
            return Earth.within(haversine, limit, limitMeters) ? Earth.arc(haversine) : -1;
        }
    }
}
