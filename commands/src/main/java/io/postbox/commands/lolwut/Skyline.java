package io.postbox.commands.lolwut;

import java.nio.charset.StandardCharsets;
import java.util.random.RandomGenerator;

/**
 * LOLWUT VERSION 6: a city skyline after the parallax backgrounds of 8-bit games (Plaguemon), in the
 * terminal's four grays, one character cell per pixel: two rows of light and darker towers behind,
 * then black towers with lit windows in front.
 */
final class Skyline {

    private static final int BLACK = 0;
    private static final int DARK_GRAY = 1;
    private static final int LIGHT_GRAY = 2;
    private static final int WHITE = 3;
    /** Each gray's foreground and background color escape: both, for the same look on every terminal. */
    private static final String[] ESCAPES = {"0;30;40m", "0;90;100m", "0;37;47m", "0;97;107m"};

    private Skyline() {
    }

    static byte[] draw(int columns, int rows, RandomGenerator random) {
        Canvas canvas = new Canvas(columns, rows, WHITE);
        // The light towers first, so that the darker ones stand in front of them.
        for (int color = LIGHT_GRAY; color >= DARK_GRAY; color--) {
            for (int offset = -10; offset < canvas.width(); ) {
                offset += Lolwut.rand(random) % 8;
                int width = 10 + Lolwut.rand(random) % 9;
                int height = rows / 2 + Lolwut.rand(random) % rows / (color == LIGHT_GRAY ? 2 : 3);
                tower(canvas, offset, width, height, color, false, random);
                offset += color == LIGHT_GRAY ? width / 2 : width + 1;
            }
        }
        for (int offset = -10; offset < canvas.width(); ) {
            offset += Lolwut.rand(random) % 8;
            int width = 5 + Lolwut.rand(random) % 14;
            if (width % 4 != 0) {
                width += width % 3;
            }
            int height = rows / 3 + Lolwut.rand(random) % rows / 2;
            tower(canvas, offset, width, height, BLACK, true, random);
            offset += width + 5;
        }
        return render(canvas);
    }

    /**
     * A tower standing on the bottom row, its roof two pixels narrower on each side; with windows, every
     * other pair of pixels on every other row inside its walls is lit in a random gray.
     */
    private static void tower(Canvas canvas, int left, int width, int height, int color, boolean windows,
                              RandomGenerator random) {
        int bottom = canvas.height() - 1;
        int top = bottom - height + 1;
        for (int y = bottom; y >= top; y--) {
            for (int x = left; x < left + width; x++) {
                if (y == top && (x <= left + 1 || x >= left + width - 2)) {
                    continue;
                }
                int pixel = color;
                if (windows && x > left + 1 && x < left + width - 2 && y > top + 1 && y < bottom - 1) {
                    int column = x - (left + 1);
                    int row = y - (top + 1);
                    // Windows two pixels wide and one tall: a terminal's cells are twice as tall as wide.
                    if (column / 2 % 2 == 1 && row % 2 == 1) {
                        do {
                            pixel = 1 + Lolwut.rand(random) % 2;
                        } while (pixel == color);
                        if (column % 2 == 1) {
                            pixel = canvas.get(x - 1, y);
                        }
                    }
                }
                canvas.draw(x, y, pixel);
            }
        }
    }

    /** Each pixel as a space in its gray, rows apart by newlines. */
    private static byte[] render(Canvas canvas) {
        StringBuilder text = new StringBuilder();
        for (int y = 0; y < canvas.height(); y++) {
            for (int x = 0; x < canvas.width(); x++) {
                text.append("\033[").append(ESCAPES[canvas.get(x, y)]).append(" \033[0m");
            }
            if (y != canvas.height() - 1) {
                text.append('\n');
            }
        }
        return text.toString().getBytes(StandardCharsets.US_ASCII);
    }
}
