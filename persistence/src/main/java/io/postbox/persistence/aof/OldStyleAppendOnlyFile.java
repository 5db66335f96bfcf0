package io.postbox.persistence.aof;

import io.postbox.persistence.Log;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The single append-only file of Redis before 7.0 ({@code appendonly.aof} in the data directory), taken
 * into the multi-part layout at startup as Redis 7 takes it: the manifest lists it as the base, then it
 * moves into the append-only directory, and is loaded from there.
 */
public final class OldStyleAppendOnlyFile {

    private OldStyleAppendOnlyFile() {
    }

    /**
     * Migrates {@code oldFile} (named {@code appendfilename}) into {@code aofDir} when Redis would: the
     * file exists, and the directory does not, or it has no manifest listing files, or its manifest is
     * one that such a migration wrote before it was cut short (the base alone, by that name, not moved
     * yet). Returns the manifest to load: the one written, or {@code manifest} as it was.
     */
    public static AofManifest migrateIfFound(Path oldFile, Path aofDir, AofManifest manifest, Log log)
            throws IOException {
        String name = oldFile.getFileName().toString();
        boolean noFiles = manifest == null || (manifest.base() == null && manifest.incrs().isEmpty());
        boolean interrupted = manifest != null && manifest.base() != null && manifest.incrs().isEmpty()
                && manifest.base().file().equals(name) && !Files.exists(aofDir.resolve(name));
        boolean migrate = Files.exists(oldFile) && (!Files.isDirectory(aofDir) || noFiles || interrupted);
        if (!migrate) {
            return manifest;
        }
        Files.createDirectories(aofDir);
        AofManifest migrated = AofManifest.withBase(name, new AofManifest.Entry(name, 1, 'b'));
        ManifestFile.write(aofDir.resolve(name + ".manifest"), migrated.format());
        Files.move(oldFile, aofDir.resolve(name));
        log.notice("Successfully migrated an old-style AOF file (" + name + ") into the AOF directory ("
                + aofDir.getFileName() + ").");
        return migrated;
    }
}
