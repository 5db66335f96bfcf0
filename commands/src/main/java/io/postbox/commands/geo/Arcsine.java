package io.postbox.commands.geo;

/**
 * The arcsine, computed in Java. Java 17's {@code Math.asin} is fdlibm's C code behind a native call,
 * which took three quarters of a GEOSEARCH's time; this follows the same method, within an ulp of it
 * (ArcsineTest), at the cost of a few multiplications.
 *
 * <p>The method: below 0.5, {@code asin(x) = x + x^3 R(x^2)}, R a rational approximation of
 * {@code (asin(x) - x) / x^3}; from 0.5 to 1, {@code asin(x) = pi/2 - 2 asin(sqrt((1 - x) / 2))},
 * that arcsine's argument being below 0.5, with pi/2 in two parts and, below 0.975, the square root
 * split into a short head and a tail, so that the subtraction from pi/2 loses no precision.
 */
final class Arcsine {

    private static final double HALF_PI_HIGH = 1.57079632679489655800e+00;
    private static final double HALF_PI_LOW = 6.12323399573676603587e-17;
    private static final double QUARTER_PI_HIGH = 7.85398163397448278999e-01;
    /** The numerator's and the denominator's coefficients of R, in powers of x^2. */
    private static final double P0 = 1.66666666666666657415e-01;
    private static final double P1 = -3.25565818622400915405e-01;
    private static final double P2 = 2.01212532134862925881e-01;
    private static final double P3 = -4.00555345006794114027e-02;
    private static final double P4 = 7.91534994289814532176e-04;
    private static final double P5 = 3.47933107596021167570e-05;
    private static final double Q1 = -2.40339491173441421878e+00;
    private static final double Q2 = 2.02094576023350569471e+00;
    private static final double Q3 = -6.88283971605453293030e-01;
    private static final double Q4 = 7.70381505559019352791e-02;
    /** Below this, asin(x) is x to the last bit. */
    private static final double TINY = 0x1p-27;

    private Arcsine() {
    }

    static double asin(double x) {
        double magnitude = Math.abs(x);
        if (!(magnitude < 1)) {
            // Also NaN; |x| > 1 has no arcsine.
            return magnitude == 1 ? x * HALF_PI_HIGH + x * HALF_PI_LOW : Double.NaN;
        }
        if (magnitude < 0.5) {
            return magnitude < TINY ? x : x + x * ratio(x * x);
        }
        double z = (1 - magnitude) * 0.5;
        double s = Math.sqrt(z);
        double result;
        if (magnitude >= 0.975) {
            result = HALF_PI_HIGH - (2.0 * (s + s * ratio(z)) - HALF_PI_LOW);
        } else {
            double head = Double.longBitsToDouble(Double.doubleToRawLongBits(s) & 0xffffffff00000000L);
            double tail = (z - head * head) / (s + head);
            double p = 2.0 * s * ratio(z) - (HALF_PI_LOW - 2.0 * tail);
            double q = QUARTER_PI_HIGH - 2.0 * head;
            result = QUARTER_PI_HIGH - (p - q);
        }
        return x < 0 ? -result : result;
    }

    /** R(t) times t: {@code (asin(x) - x) / x} where t is x^2. */
    private static double ratio(double t) {
        double p = t * (P0 + t * (P1 + t * (P2 + t * (P3 + t * (P4 + t * P5)))));
        double q = 1 + t * (Q1 + t * (Q2 + t * (Q3 + t * Q4)));
        return p / q;
    }
}
