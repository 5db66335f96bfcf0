package io.postbox.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.postbox.commands.config.Config;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The score written, in a file standing for /proc/self/oom_score_adj, as CONFIG SET changes the options. */
class OomScoreAdjustmentTest {

    @TempDir
    Path dir;

    private final Config config = new Config();

    @Test
    void relativeAddsToTheEarlierScoreAbsoluteReplacesItAndNoPutsItBack() throws IOException {
        Path score = scoreFile("22\n");
        new OomScoreAdjustment(score, log()).install(config);
        assertEquals("22\n", Files.readString(score), "oom-score-adj no: the file is not touched");

        config.set("oom-score-adj-values", "9 9 9");
        config.set("oom-score-adj", "yes");
        assertEquals("31\n", Files.readString(score));
        config.set("oom-score-adj-values", "15 20 30");
        assertEquals("37\n", Files.readString(score), "only the first value applies to a master");
        config.set("oom-score-adj", "absolute");
        assertEquals("15\n", Files.readString(score));
        config.set("oom-score-adj", "relative");
        assertEquals("37\n", Files.readString(score), "still relative to the score before the first change");
        config.set("oom-score-adj", "no");
        assertEquals("22\n", Files.readString(score));

        Files.writeString(score, "24\n");
        config.set("oom-score-adj-values", "1 1 1");
        assertEquals("24\n", Files.readString(score), "values changed while off leave the score alone");
    }

    @Test
    void aReplicaTakesTheSecondValueAndAMasterAgainTheFirst() throws IOException {
        Path score = scoreFile("0\n");
        config.set("oom-score-adj", "absolute");
        config.set("oom-score-adj-values", "100 200 300");
        new OomScoreAdjustment(score, log()).install(config);
        assertEquals("100\n", Files.readString(score));
        config.set("replicaof", "10.0.0.1 6380");
        assertEquals("200\n", Files.readString(score));
        config.set("replicaof", "no one");
        assertEquals("100\n", Files.readString(score));
    }

    @Test
    void theScoreIsClampedToTheKernelsRange() throws IOException {
        Path score = scoreFile("-500\n");
        new OomScoreAdjustment(score, log()).install(config);
        config.set("oom-score-adj-values", "-800 0 0");
        config.set("oom-score-adj", "yes");
        assertEquals("-1000\n", Files.readString(score));
        config.set("oom-score-adj-values", "2000 2000 2000");
        assertEquals("1000\n", Files.readString(score));
    }

    @Test
    void theConfiguredScoreIsWrittenAtStartup() throws IOException {
        Path score = scoreFile("0\n");
        config.set("oom-score-adj", "absolute");
        config.set("oom-score-adj-values", "100 200 300");
        new OomScoreAdjustment(score, log()).install(config);
        assertEquals("100\n", Files.readString(score));
    }

    @Test
    void aScoreThatCannotBeSetRefusesTheChangeAndSaysWhyInTheLog() throws IOException {
        Path logFile = dir.resolve("postbox.log");
        ServerLog log = log();
        log.file(logFile.toString());
        // A directory: neither root nor anyone else can read or write it as a file.
        new OomScoreAdjustment(Files.createDirectory(dir.resolve("oom_score_adj")), log).install(config);

        Config.ChangeRefused refused = assertThrows(Config.ChangeRefused.class,
                () -> config.set("oom-score-adj", "yes"));
        assertEquals("oom-score-adj", refused.name());
        assertEquals("Failed to set current oom_score_adj. Check server logs.", refused.reason());
        assertEquals("no", config.getString("oom-score-adj"), "the old value is back");
        assertTrue(Files.readString(logFile).contains("# Unable to read oom_score_adj: "), Files.readString(logFile));
    }

    @Test
    void valuesThatOnlyPrivilegedProcessesCanSetAreWarnedAbout() throws IOException {
        Path logFile = dir.resolve("postbox.log");
        ServerLog log = log();
        log.file(logFile.toString());
        new OomScoreAdjustment(scoreFile("0\n"), log).install(config);
        config.set("oom-score-adj-values", "0 100 100");
        config.set("oom-score-adj-values", "0 300 200");
        String warning = "The oom-score-adj-values configuration may not work for non-privileged processes!";
        String logged = Files.readString(logFile);
        assertEquals(1, logged.split(warning, -1).length - 1, logged);
    }

    private Path scoreFile(String content) throws IOException {
        return Files.writeString(dir.resolve("oom_score_adj"), content);
    }

    private static ServerLog log() {
        ServerLog log = new ServerLog();
        log.level("warning");
        return log;
    }
}
