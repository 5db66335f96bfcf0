package io.postbox.commands.geo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** {@link Arcsine} against Java's own arcsine (fdlibm's), over the whole domain and its edges. */
class ArcsineTest {

    @Test
    void agreesWithStrictMathWithinAnUlp() {
        SplittableRandom random = new SplittableRandom(3);
        int exact = 0;
        int checked = 0;
        for (int i = 0; i < 1_000_000; i++) {
            double x = switch (i % 3) {
                case 0 -> random.nextDouble(-1, 1);
                case 1 -> random.nextDouble(0.45, 1);
                default -> Math.scalb(random.nextDouble(), -random.nextInt(60));
            };
            double want = StrictMath.asin(x);
            double got = Arcsine.asin(x);
            assertTrue(Math.abs(want - got) <= Math.ulp(want), x + ": " + want + " against " + got);
            exact += want == got ? 1 : 0;
            checked++;
        }
        // Same method, same order of operations: nearly always the same double.
        assertTrue(exact > checked * 0.999, exact + " of " + checked);
    }

    @Test
    void edges() {
        for (double x : new double[] {0.0, -0.0, 0.5, -0.5, 0.975, 1, -1, 0x1p-27, 0x1p-28, Double.MIN_VALUE,
                Math.nextDown(0.5), Math.nextDown(1.0)}) {
            assertEquals(StrictMath.asin(x), Arcsine.asin(x), Double.toString(x));
        }
        assertTrue(Double.isNaN(Arcsine.asin(1.0000000000000002)));
        assertTrue(Double.isNaN(Arcsine.asin(Double.NaN)));
    }
}
