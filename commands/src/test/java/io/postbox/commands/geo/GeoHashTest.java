package io.postbox.commands.geo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The geohash grid against values redis-server 7.0.15 gave for the same points. */
class GeoHashTest {

    @Test
    void encodesAPointAsRedisScoresIt() {
        // GEOADD s 13.361389 38.115556 Palermo, then ZSCORE s Palermo.
        assertEquals(3479099956230698L, GeoHash.of(13.361389, 38.115556, GeoHash.MAX_STEP).lowestScore());
        assertEquals(2163557714838307L, GeoHash.of(-0.1276, 51.5072, GeoHash.MAX_STEP).lowestScore());
    }

    @Test
    void decodesAScoreToTheCentreOfItsCell() {
        // GEOPOS s Palermo: 13.36138933897018433 38.11555639549629859 (the same doubles, %.17Lf).
        GeoHash cell = GeoHash.ofScore(3479099956230698.0);
        assertEquals(13.361389338970184, cell.longitude());
        assertEquals(38.1155563954963, cell.latitude());
        assertTrue(cell.minLongitude() < 13.361389 && 13.361389 < cell.maxLongitude());
    }

    @Test
    void aCellSpansTheScoresOfTheCellsInsideIt() {
        GeoHash coarse = GeoHash.of(13.361389, 38.115556, 10);
        long stored = GeoHash.of(13.361389, 38.115556, GeoHash.MAX_STEP).lowestScore();
        assertTrue(coarse.lowestScore() <= stored && stored < coarse.scoreAfter());
        assertEquals(1L << (52 - 20), coarse.scoreAfter() - coarse.lowestScore());
    }

    @Test
    void neighboursAreOneCellAwayAndWrapAroundTheGrid() {
        GeoHash cell = GeoHash.of(10, 20, 8);
        GeoHash east = cell.moved(1, 0);
        assertEquals(cell.maxLongitude(), east.minLongitude(), 1e-9);
        assertEquals(cell.minLatitude(), east.minLatitude());
        GeoHash north = cell.moved(0, 1);
        assertEquals(cell.maxLatitude(), north.minLatitude(), 1e-9);
        assertEquals(cell, cell.moved(1, 1).moved(-1, -1));
        GeoHash eastmost = GeoHash.of(179.9, 0, 8);
        assertEquals(GeoHash.MIN_LONGITUDE, eastmost.moved(1, 0).minLongitude());
    }

    @Test
    void noneIsOnlyTheEmptyCellOfStepZero() {
        assertTrue(GeoHash.NONE.none());
        assertTrue(!new GeoHash(0, 26).none());
    }

    @Test
    void theStepFitsTheReachAndCoarsensNearThePoles() {
        assertEquals(GeoHash.MAX_STEP, SearchArea.estimatedStep(0, 0));
        // Each halving of the reach is one step finer.
        assertEquals(SearchArea.estimatedStep(1000, 0) + 1, SearchArea.estimatedStep(500, 0));
        assertEquals(SearchArea.estimatedStep(1000, 0) - 1, SearchArea.estimatedStep(1000, 70));
        assertEquals(SearchArea.estimatedStep(1000, 0) - 2, SearchArea.estimatedStep(1000, -81));
        assertEquals(1, SearchArea.estimatedStep(50_000_000, 0));
    }
}
