package io.postbox.commands.geo;

import java.util.ArrayList;
import java.util.List;

/**
 * The grid cells a search reads, as Redis chooses them: the cell holding the centre, at a step whose
 * cells are about as large as the shape, and its eight neighbours, less those the shape cannot reach.
 * Their order (centre, north, south, east, west, then the corners) is the order of unsorted results.
 */
final class SearchArea {

    /** Cell offsets east and north of the centre's, in Redis's order. */
    private static final int[][] NEIGHBOURS = {{0, 0}, {0, 1}, {0, -1}, {1, 0}, {-1, 0}, {1, 1}, {-1, 1},
            {1, -1}, {-1, -1}};

    private static final double MERCATOR_MAX = 20037726.37;

    private SearchArea() {
    }

    /** The cells to read for {@code shape}, none of them {@link GeoHash#NONE}, repeats of a neighbour left out. */
    static List<GeoHash> cells(GeoShape shape) {
        double[] bounds = shape.bounds();
        int step = estimatedStep(shape.reachMeters(), shape.latitude());
        GeoHash[] cells = around(shape, step);
        // A cell larger than the shape may still leave part of it beyond the neighbours: then one step
        // coarser, whose cells are twice as large.
        if (step > 1 && (cells[1].maxLatitude() < bounds[3] || cells[2].minLatitude() > bounds[1]
                || cells[3].maxLongitude() < bounds[2] || cells[4].minLongitude() > bounds[0])) {
            step--;
            cells = around(shape, step);
        }
        GeoHash centre = cells[0];
        if (step >= 2) {
            leaveOutWhere(cells, centre.minLatitude() < bounds[1], 2, 7, 8);
            leaveOutWhere(cells, centre.maxLatitude() > bounds[3], 1, 5, 6);
            leaveOutWhere(cells, centre.minLongitude() < bounds[0], 4, 8, 6);
            leaveOutWhere(cells, centre.maxLongitude() > bounds[2], 3, 7, 5);
        }
        List<GeoHash> read = new ArrayList<>(cells.length);
        int last = 0;
        for (int i = 0; i < cells.length; i++) {
            if (cells[i].none()) {
                continue;
            }
            // Over thousands of kilometers neighbours wrap into each other. Like Redis, this compares
            // each with the last one read, the centre excepted.
            if (last != 0 && cells[i].equals(cells[last])) {
                continue;
            }
            read.add(cells[i]);
            last = i;
        }
        return read;
    }

    /** The centre's cell at {@code step} and its neighbours, in {@link #NEIGHBOURS}' order. */
    private static GeoHash[] around(GeoShape shape, int step) {
        GeoHash centre = GeoHash.of(shape.longitude(), shape.latitude(), step);
        GeoHash[] cells = new GeoHash[NEIGHBOURS.length];
        for (int i = 0; i < cells.length; i++) {
            cells[i] = centre.moved(NEIGHBOURS[i][0], NEIGHBOURS[i][1]);
        }
        return cells;
    }

    private static void leaveOutWhere(GeoHash[] cells, boolean condition, int... which) {
        if (condition) {
            for (int i : which) {
                cells[i] = GeoHash.NONE;
            }
        }
    }

    /**
     * Redis's geohashEstimateStepsByRadius: the step whose cells are at least as wide as the reach,
     * coarser near the poles, where cells narrow.
     */
    static int estimatedStep(double reachMeters, double latitude) {
        if (reachMeters == 0) {
            return GeoHash.MAX_STEP;
        }
        int step = 1;
        while (reachMeters < MERCATOR_MAX) {
            reachMeters *= 2;
            step++;
        }
        step -= 2;
        if (latitude > 66 || latitude < -66) {
            step--;
            if (latitude > 80 || latitude < -80) {
                step--;
            }
        }
        return Math.max(1, Math.min(GeoHash.MAX_STEP, step));
    }
}
