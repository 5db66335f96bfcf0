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
        assertTrue(bad.getMessage().contains("line 2"), bad.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> AofManifest.parse("a.aof", "file a seq 2 type i\nfile b seq 1 type i\n"));
        assertThrows(IllegalArgumentException.class,
                () -> AofManifest.parse("a.aof", "file a seq 1 type b\nfile b seq 2 type b\n"));
    }
}
