package io.postbox.commands.lolwut;

import java.util.Arrays;

/**
 * A grid of pixels for LOLWUT's art, each a small color number; drawing outside it is ignored, and
 * reads outside it give 0. Its geometry is Redis's, in single-precision floats as Redis computes it,
 * so that the same art comes out where no randomness enters.
 */
final class Canvas {

    private final int width;
    private final int height;
    private final byte[] pixels;

    Canvas(int width, int height, int background) {
        this.width = width;
        this.height = height;
        this.pixels = new byte[width * height];
        Arrays.fill(pixels, (byte) background);
    }

    int width() {
        return width;
    }

    int height() {
        return height;
    }

    void draw(int x, int y, int color) {
        if (x >= 0 && x < width && y >= 0 && y < height) {
            pixels[x + y * width] = (byte) color;
        }
    }

    int get(int x, int y) {
        return x >= 0 && x < width && y >= 0 && y < height ? pixels[x + y * width] : 0;
    }

    /** A line from x1,y1 to x2,y2, both ends included (Bresenham's). */
    void line(int x1, int y1, int x2, int y2, int color) {
        int dx = Math.abs(x2 - x1);
        int dy = Math.abs(y2 - y1);
        int sx = x1 < x2 ? 1 : -1;
        int sy = y1 < y2 ? 1 : -1;
        int err = dx - dy;
        while (true) {
            draw(x1, y1, color);
            if (x1 == x2 && y1 == y2) {
                return;
            }
            int e2 = err * 2;
            if (e2 > -dy) {
                err -= dy;
                x1 += sx;
            }
            if (e2 < dx) {
                err += dx;
                y1 += sy;
            }
        }
    }

    /**
     * The outline of a square of side {@code size} centred on x,y and turned by {@code angle} radians:
     * its corners are four points a quarter turn apart on the circle around it.
     */
    void square(int x, int y, float size, float angle, int color) {
        float radius = (float) roundHalfAway((float) (size / 1.4142135623));
        int[] px = new int[4];
        int[] py = new int[4];
        float k = (float) (Math.PI / 4 + angle);
        for (int j = 0; j < 4; j++) {
            px[j] = (int) roundHalfAway(Math.sin(k) * radius + x);
            py[j] = (int) roundHalfAway(Math.cos(k) * radius + y);
            k = (float) (k + Math.PI / 2);
        }
        for (int j = 0; j < 4; j++) {
            line(px[j], py[j], px[(j + 1) % 4], py[(j + 1) % 4], color);
        }
    }

    /** C's round(): halves away from zero, where Math.round takes them up. */
    static double roundHalfAway(double value) {
        double whole = Math.floor(Math.abs(value));
        if (Math.abs(value) - whole >= 0.5) {
            whole++;
        }
        return Math.copySign(whole, value);
    }
}
