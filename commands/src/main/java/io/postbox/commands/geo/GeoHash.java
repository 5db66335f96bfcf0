package io.postbox.commands.geo;

/**
 * A cell of Redis's geohash grid: {@code step} bits of longitude and as many of latitude, interleaved
 * (latitude in the even bits, longitude in the odd ones), over longitudes -180..180 and the latitudes
 * Web Mercator covers, -85.05112878..85.05112878. A point is stored in a sorted set as the score of its
 * 26-step cell, a 52-bit integer, and that cell's centre is where the point is then said to be.
 *
 * <p>A cell with {@code step} 0 is no cell: a search area leaves out the neighbours it does not need
 * that way.
 */
record GeoHash(long bits, int step) {

    static final double MIN_LONGITUDE = -180;
    static final double MAX_LONGITUDE = 180;
    static final double MIN_LATITUDE = -85.05112878;
    static final double MAX_LATITUDE = 85.05112878;
    /** The step of stored points: 52 bits, as many as a double holds exactly. */
    static final int MAX_STEP = 26;

    static final GeoHash NONE = new GeoHash(0, 0);

    private static final long EVEN_BITS = 0x5555555555555555L;
    private static final long ODD_BITS = 0xaaaaaaaaaaaaaaaaL;

    /** The cell of {@code step} that holds the point, which must lie inside the grid. */
    static GeoHash of(double longitude, double latitude, int step) {
        return of(longitude, latitude, step, MIN_LATITUDE, MAX_LATITUDE);
    }

    /**
     * The cell of {@code step} holding the point on a grid whose latitudes run from {@code minLatitude}
     * to {@code maxLatitude} (GEOHASH's standard geohash spans -90..90).
     */
    static GeoHash of(double longitude, double latitude, int step, double minLatitude, double maxLatitude) {
        double latitudeOffset = (latitude - minLatitude) / (maxLatitude - minLatitude) * (1L << step);
        double longitudeOffset = (longitude - MIN_LONGITUDE) / (MAX_LONGITUDE - MIN_LONGITUDE) * (1L << step);
        return new GeoHash(spread((long) latitudeOffset) | spread((long) longitudeOffset) << 1, step);
    }

    /** The 26-step cell a sorted-set score names. */
    static GeoHash ofScore(double score) {
        return new GeoHash((long) score, MAX_STEP);
    }

    boolean none() {
        return bits == 0 && step == 0;
    }

    /** The cell's bits aligned to 52, the lowest score inside it. */
    long lowestScore() {
        return bits << (52 - 2 * step);
    }

    /** One past the highest score inside the cell. */
    long scoreAfter() {
        return (bits + 1) << (52 - 2 * step);
    }

    double minLongitude() {
        return MIN_LONGITUDE + longitudeCell() * 1.0 / (1L << step) * (MAX_LONGITUDE - MIN_LONGITUDE);
    }

    double maxLongitude() {
        return MIN_LONGITUDE + (longitudeCell() + 1) * 1.0 / (1L << step) * (MAX_LONGITUDE - MIN_LONGITUDE);
    }

    double minLatitude() {
        return MIN_LATITUDE + latitudeCell() * 1.0 / (1L << step) * (MAX_LATITUDE - MIN_LATITUDE);
    }

    double maxLatitude() {
        return MIN_LATITUDE + (latitudeCell() + 1) * 1.0 / (1L << step) * (MAX_LATITUDE - MIN_LATITUDE);
    }

    /** The cell's centre, kept inside the grid. */
    double longitude() {
        return Math.max(MIN_LONGITUDE, Math.min(MAX_LONGITUDE, (minLongitude() + maxLongitude()) / 2));
    }

    double latitude() {
        return Math.max(MIN_LATITUDE, Math.min(MAX_LATITUDE, (minLatitude() + maxLatitude()) / 2));
    }

    /** The cell {@code dx} cells east and {@code dy} north, wrapping around the grid's edges. */
    GeoHash moved(int dx, int dy) {
        return new GeoHash(move(bits & ODD_BITS, dx, EVEN_BITS, ODD_BITS)
                | move(bits & EVEN_BITS, dy, ODD_BITS, EVEN_BITS), step);
    }

    /**
     * Adds {@code d} (-1, 0 or 1) to one coordinate kept in the bits of {@code mask}: setting the other
     * coordinate's bits ({@code fill}) makes the carry run through them.
     */
    private long move(long coordinate, int d, long fill, long mask) {
        if (d == 0) {
            return coordinate;
        }
        long filler = fill >>> (64 - 2 * step);
        long moved = d > 0 ? coordinate + (filler + 1) : (coordinate | filler) - (filler + 1);
        return moved & (mask >>> (64 - 2 * step));
    }

    private long latitudeCell() {
        return squeeze(bits);
    }

    private long longitudeCell() {
        return squeeze(bits >>> 1);
    }

    /** The low 32 bits of {@code value} moved to the even bit positions. */
    private static long spread(long value) {
        long x = value & 0xffffffffL;
        x = (x | x << 16) & 0x0000ffff0000ffffL;
        x = (x | x << 8) & 0x00ff00ff00ff00ffL;
        x = (x | x << 4) & 0x0f0f0f0f0f0f0f0fL;
        x = (x | x << 2) & 0x3333333333333333L;
        return (x | x << 1) & EVEN_BITS;
    }

    /** The even bits of {@code value} gathered into the low 32. */
    private static long squeeze(long value) {
        long x = value & EVEN_BITS;
        x = (x | x >>> 1) & 0x3333333333333333L;
        x = (x | x >>> 2) & 0x0f0f0f0f0f0f0f0fL;
        x = (x | x >>> 4) & 0x00ff00ff00ff00ffL;
        x = (x | x >>> 8) & 0x0000ffff0000ffffL;
        return (x | x >>> 16) & 0xffffffffL;
    }
}
