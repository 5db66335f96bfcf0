package io.postbox.persistence.aof;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class AofManifestTest {

    @Test
    void readsAndWritesRedisManifestLines() {
        String text = "file appendonly.aof.3.base.rdb seq 3 type b\n"
                + "file appendonly.aof.5.incr.aof seq 5 type i\n"
                + "file appendonly.aof.6.incr.aof seq 6 type i\n";
        AofManifest manifest = AofManifest.parse("appendonly.aof", text);
        assertEquals("appendonly.aof.3.base.rdb", manifest.base().file());
        assertEquals(List.of(5L, 6L), manifest.incrs().stream().map(AofManifest.Entry::seq).toList());
        assertEquals(text, manifest.format());
    }

    @Test
    void aRewriteTurnsTheOldBaseAndEarlierIncrementsIntoHistory() {
        AofManifest manifest = AofManifest.parse("a.aof", "file a.aof.1.base.rdb seq 1 type b\nfile a.aof.1.incr.aof seq 1 type i\n");
        AofManifest.Entry kept = manifest.addIncr();
        assertEquals("a.aof.2.incr.aof", kept.file());
        AofManifest.Entry base = manifest.nextBase(true);
        assertEquals("a.aof.2.base.rdb", base.file());
        manifest.installBase(base, kept);
        assertEquals(List.of("a.aof.1.base.rdb", "a.aof.1.incr.aof"),
                manifest.history().stream().map(AofManifest.Entry::file).toList());
        assertTrue(manifest.format().contains("file a.aof.1.incr.aof seq 1 type h\n"));
        manifest.clearHistory();
        assertEquals("file a.aof.2.base.rdb seq 2 type b\nfile a.aof.2.incr.aof seq 2 type i\n", manifest.format());
    }

    @Test
    void invalidLinesAreRefusedWithTheLineNumber() {
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                () -> AofManifest.parse("a.aof", "file a seq 1 type b\nfile b seq x type i\n"));
        assertEquals("Invalid AOF manifest file format, at line 2: >>> 'file b seq x type i'", bad.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> AofManifest.parse("a.aof", "file a seq 2 type i\nfile b seq 1 type i\n"));
        assertThrows(IllegalArgumentException.class,
                () -> AofManifest.parse("a.aof", "file a seq 1 type b\nfile b seq 2 type b\n"));
    }

    /** What Redis 7.0's aofLoadManifestFromFile refuses, with its reasons; and what it lets through. */
    @Test
    void refusesWhatRedisRefuses() {
        String base = "file a.1.base.rdb seq 1 type b\n";
        assertRefused("Found an empty AOF manifest", "");
        assertRefused("Invalid AOF manifest file format", base + "\n" + "file a.1.incr.aof seq 1 type i\n");
        assertRefused("Invalid AOF manifest file format", "file a.1.incr.aof type i\n");
        assertRefused("Invalid AOF manifest file format", "file a.1.incr.aof seq 1 type i newkey\n");
        assertRefused("Invalid AOF manifest file format", "filx a.1.base.rdb seq 1 type b\n");
        assertRefused("Invalid AOF manifest file format", "file a.1.incr.aof seq 0 type i\n");
        assertRefused("Unknown AOF file type", base + "file a.1.incr.aof seq 1 type x\n");
        assertRefused("File can't be a path, just a filename", "file ../a.1.incr.aof seq 1 type i\n");
        assertRefused("The AOF manifest file contains too long line", base + "file a.1.incr.aof seq 1 type i");
        assertRefused("The AOF manifest file contains too long line", base.repeat(40).replace("\n", " ") + "\n");
        AofManifest lenient = AofManifest.parse("a", "# a comment\nFILE a.1.base.rdb SEQ 1 TYPE b extra key\n"
                + "file a.1.incr.aof seq 1 type incr\n");
        assertEquals("a.1.base.rdb", lenient.base().file());
        assertEquals(1, lenient.incrs().size());
    }

    /** A name with white space or control characters is quoted as Redis's sdscatrepr quotes it, and read back. */
    @Test
    void namesThatNeedItAreQuoted() {
        AofManifest manifest = AofManifest.parse(" file seq \n\n.aof ",
                "file \" file seq \\n\\n.aof .1.base.rdb\" seq 1 type b\n");
        assertEquals(" file seq \n\n.aof .1.base.rdb", manifest.base().file());
        manifest.addIncr();
        String text = manifest.format();
        assertEquals("file \" file seq \\n\\n.aof .1.base.rdb\" seq 1 type b\n"
                + "file \" file seq \\n\\n.aof .1.incr.aof\" seq 1 type i\n", text);
        assertEquals(manifest.incrs(), AofManifest.parse(" file seq \n\n.aof ", text).incrs());
    }

    private static void assertRefused(String reason, String text) {
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> AofManifest.parse("a", text));
        assertTrue(refused.getMessage().startsWith(reason), refused.getMessage());
    }
}
