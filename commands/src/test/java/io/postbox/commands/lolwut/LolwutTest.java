package io.postbox.commands.lolwut;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.postbox.commands.Dispatcher;
import io.postbox.commands.Engine;
import io.postbox.commands.TestClient;
import io.postbox.commands.config.Config;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * LOLWUT's art: where no randomness enters, the picture redis-server 7.0.15 draws, to the byte; where
 * it does, the size and the alphabet of Redis's pictures, and the rows it leaves alone.
 */
class LolwutTest {

    private final Engine engine = new Engine(new Config(), List.of(new Lolwut()));
    private final Dispatcher dispatcher = new Dispatcher(engine);
    private final TestClient client = new TestClient(engine);

    private String run(String... args) {
        assertTrue(dispatcher.dispatch(client, TestClient.request(args)));
        return client.replies();
    }

    private static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    @Test
    void withoutVersionFiveOrSixOnlyTheVersionLineIsPrinted() {
        String line = "Redis ver. 7.0.15\n";
        assertEquals("$" + line.length() + "\r\n" + line + "\r\n", run("lolwut"));
        assertEquals(run("lolwut"), run("lolwut", "not", "a", "number"));
        assertEquals(run("lolwut"), run("lolwut", "version", "7"));
        assertEquals(run("lolwut"), run("lolwut", "version"));
        assertEquals("-ERR value is not an integer or out of range\r\n", run("lolwut", "version", "five"));
        assertEquals("-ERR value is not an integer or out of range\r\n", run("lolwut", "version", "5", "1", "x"));
    }

    @Test
    void theVersionIsReadAsAnUnsignedIntAsRedisReadsIt() {
        assertEquals(run("lolwut", "version", "5", "3", "3", "2"),
                run("lolwut", "version", "4294967301", "3", "3", "2"));
    }

    @Test
    void sizesOutOfRangeAreBroughtWithinIt() {
        assertEquals(run("lolwut", "version", "5", "1", "1", "1"), run("lolwut", "version", "5", "0", "-3", "0"));
        assertEquals(run("lolwut", "version", "6", "1000", "1"), run("lolwut", "version", "6", "5000", "-1"));
    }

    /** Squares in two rows are never moved: redis-server 7.0.15's LOLWUT VERSION 5 10 2 2, art part. */
    @Test
    void schotterOfTwoRowsIsRedissToTheByte() {
        String redis = "⠀⡤⠤⠤⠤⡤⠤⠤⠤⡄\n⠀⡇⠀⠀⠀⡇⠀⠀⠀⡇\n⠀⡧⠤⠤⠤⡧⠤⠤⠤⡇\n⠀⡇⠀⠀⠀⡇⠀⠀⠀⡇\n⠀⠧⠤⠤⠤⠧⠤⠤⠤⠇\n";
        assertEquals(redis, text(Schotter.draw(10, 2, 2, new Random(1))));
        assertEquals(redis + "\nGeorg Nees - schotter, plotter on paper, 1968. Redis ver. 7.0.15\n",
                bulk(run("lolwut", "version", "5", "10", "2", "2")));
    }

    @Test
    void schotterHasRedissSizeAndTurnsOnlyTheLowerRows() {
        // 66 columns, 8 by 12 squares: 132 pixels wide, squares of 16 inside a padding of 2, 196 pixels tall.
        String first = text(Schotter.draw(66, 8, 12, new Random(1)));
        String second = text(Schotter.draw(66, 8, 12, new Random(2)));
        List<String> lines = first.lines().toList();
        assertEquals(49, lines.size());
        for (String line : lines) {
            assertEquals(66, line.length());
            assertTrue(line.chars().allMatch(c -> c >= 0x2800 && c <= 0x28FF), line);
        }
        // The first two rows of squares (34 pixels: 8 lines of 4) are the same whatever the chance.
        assertEquals(lines.subList(0, 8), second.lines().toList().subList(0, 8));
        assertNotEquals(first, second);
    }

    @Test
    void skylineHasOneCellPerPixelInTheFourGrays() {
        String art = text(Skyline.draw(80, 20, new Random(1)));
        Pattern cell = Pattern.compile("\033\\[0;(30;40|90;100|37;47|97;107)m \033\\[0m");
        List<String> rows = art.lines().toList();
        assertEquals(20, rows.size());
        for (String row : rows) {
            assertEquals("", cell.matcher(row).replaceAll(""), "only cells");
            assertEquals(80, cell.matcher(row).results().count());
        }
        assertTrue(rows.get(19).contains("0;30;40m"), "black towers stand on the bottom row");
        assertEquals("\033[0;97;107m \033[0m", text(Skyline.draw(1, 1, new Random(1))), "a white sky, no tower");
    }

    @Test
    void roundingTakesHalvesAwayFromZeroAsC() {
        assertEquals(3.0, Canvas.roundHalfAway(2.5));
        assertEquals(-3.0, Canvas.roundHalfAway(-2.5));
        assertEquals(-2.0, Canvas.roundHalfAway(-2.4999));
        assertEquals(0.0, Canvas.roundHalfAway(0.49999999999999994));
    }

    private static String bulk(String reply) {
        byte[] bytes = reply.getBytes(StandardCharsets.ISO_8859_1);
        String utf8 = new String(bytes, StandardCharsets.UTF_8);
        return utf8.substring(utf8.indexOf("\r\n") + 2, utf8.length() - 2);
    }
}
