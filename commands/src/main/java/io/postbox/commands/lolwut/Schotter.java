package io.postbox.commands.lolwut;

import java.io.ByteArrayOutputStream;
import java.util.random.RandomGenerator;

/**
 * LOLWUT VERSION 5: Georg Nees's "Schotter" (1968), rows of squares that turn and drift more the lower
 * they are, drawn in Braille characters, each 2 by 4 pixels. The first two rows are never moved, so a
 * picture of at most two rows is Redis's to the byte.
 */
final class Schotter {

    private Schotter() {
    }

    /** The picture for a terminal {@code columns} wide; {@code random} as C's rand(). */
    static byte[] draw(int columns, int squaresPerRow, int squaresPerColumn, RandomGenerator random) {
        int width = columns * 2;
        int padding = width > 4 ? 2 : 0;
        float side = (float) (width - padding * 2) / squaresPerRow;
        Canvas canvas = new Canvas(width, (int) (side * squaresPerColumn + padding * 2), 0);
        for (int y = 0; y < squaresPerColumn; y++) {
            for (int x = 0; x < squaresPerRow; x++) {
                int sx = (int) (x * side + side / 2 + padding);
                int sy = (int) (y * side + side / 2 + padding);
                float angle = 0;
                if (y > 1) {
                    float r1 = drift(random, squaresPerColumn, y);
                    float r2 = drift(random, squaresPerColumn, y);
                    float r3 = drift(random, squaresPerColumn, y);
                    r1 = Lolwut.rand(random) % 2 == 1 ? -r1 : r1;
                    r2 = Lolwut.rand(random) % 2 == 1 ? -r2 : r2;
                    r3 = Lolwut.rand(random) % 2 == 1 ? -r3 : r3;
                    angle = r1;
                    sx = (int) (sx + r2 * side / 3);
                    sy = (int) (sy + r3 * side / 3);
                }
                canvas.square(sx, sy, side, angle, 1);
            }
        }
        return render(canvas);
    }

    /** How far a square of row {@code y} may turn or move: more the lower the row. */
    private static float drift(RandomGenerator random, int squaresPerColumn, int y) {
        return (float) Lolwut.rand(random) / Lolwut.RAND_MAX / squaresPerColumn * y;
    }

    /**
     * Each 2x4 block of pixels as the Braille character with those dots (U+2800 plus a bit per dot,
     * numbered down the left column, then down the right, the bottom row last), in UTF-8.
     */
    private static byte[] render(Canvas canvas) {
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        for (int y = 0; y < canvas.height(); y += 4) {
            for (int x = 0; x < canvas.width(); x += 2) {
                int dots = canvas.get(x, y) | canvas.get(x, y + 1) << 1 | canvas.get(x, y + 2) << 2
                        | canvas.get(x + 1, y) << 3 | canvas.get(x + 1, y + 1) << 4 | canvas.get(x + 1, y + 2) << 5
                        | canvas.get(x, y + 3) << 6 | canvas.get(x + 1, y + 3) << 7;
                int code = 0x2800 + dots;
                text.write(0xE0 | code >> 12);
                text.write(0x80 | code >> 6 & 0x3F);
                text.write(0x80 | code & 0x3F);
            }
            // Redis's test: a newline after every band of four rows but one ending on the last row.
            if (y != canvas.height() - 1) {
                text.write('\n');
            }
        }
        return text.toByteArray();
    }
}
