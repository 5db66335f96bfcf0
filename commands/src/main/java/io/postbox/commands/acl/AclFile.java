package io.postbox.commands.acl;

import io.postbox.commands.Strerror;
import io.postbox.commands.config.Config;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The ACL file ({@code aclfile}): one {@code user <name> <rules>} line per user, as ACL LIST shows
 * them. Loading replaces every user, or none when a line is wrong; saving writes a temporary file
 * and renames it over the old one. The file is small, read and written without fsync, as Redis does.
 */
public final class AclFile {

    private final Config config;
    private final Consumer<String> warnings;

    /** {@code warnings} takes the lines Redis logs when a save fails. */
    public AclFile(Config config, Consumer<String> warnings) {
        this.config = config;
        this.warnings = warnings;
    }

    private Path path() {
        return config.resolve(config.getString("aclfile"));
    }

    /**
     * Replaces the users with the file's. Returns the users replaced: the caller disconnects their
     * clients, as Redis frees them.
     *
     * @throws AclRuleError with every error found, Redis's text, if nothing was changed
     */
    public List<AclUser> load(Acl acl) {
        String name = config.getString("aclfile");
        String text;
        try {
            text = Files.readString(path(), StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            throw new AclRuleError("Error loading ACLs, opening file '" + name + "': " + Strerror.describe(e));
        }
        StringBuilder errors = new StringBuilder();
        Map<String, List<String>> definitions = new LinkedHashMap<>();
        Set<String> named = new HashSet<>();
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            int lineNumber = i + 1;
            if (line.isEmpty()) {
                continue;
            }
            List<String> words = Arrays.stream(line.split(" ")).filter(w -> !w.isEmpty()).toList();
            if (!words.get(0).equals("user") || words.size() < 2) {
                errors.append(name).append(':').append(lineNumber)
                        .append(" should start with user keyword followed by the username. ");
                continue;
            }
            String user = words.get(1);
            if (Acl.invalidName(user)) {
                errors.append("'").append(name).append(':').append(lineNumber).append(": username '").append(user)
                        .append("' contains invalid characters. ");
                continue;
            }
            // A user counts as defined once its line names it, even if its rules turn out wrong.
            if (!named.add(user)) {
                errors.append("WARNING: Duplicate user '").append(user).append("' found on line ").append(lineNumber)
                        .append(". ");
                continue;
            }
            List<String> rules = new ArrayList<>(words.subList(2, words.size()));
            List<String> lineErrors = acl.validate(user, rules);
            if (!lineErrors.isEmpty()) {
                lineErrors.forEach(error -> errors.append(name).append(':').append(lineNumber).append(": ")
                        .append(error).append(". "));
                continue;
            }
            definitions.put(user, rules);
        }
        if (!errors.isEmpty()) {
            throw new AclRuleError(errors
                    .append("WARNING: ACL errors detected, no change to the previously active ACL rules was performed")
                    .toString());
        }
        return acl.replaceAll(definitions);
    }

    /** Writes every user; false, having logged why, if the file could not be written. */
    public boolean save(Acl acl) {
        StringBuilder text = new StringBuilder();
        acl.describeUsers().forEach(line -> text.append(line).append('\n'));
        Path target = path();
        Path temporary = target.resolveSibling(target.getFileName() + ".tmp-" + ProcessHandle.current().pid() + "-"
                + System.currentTimeMillis());
        try {
            Files.writeString(temporary, text, StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            warnings.accept("Opening temp ACL file for ACL SAVE: " + Strerror.describe(e));
            return false;
        }
        try {
            Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return true;
        } catch (IOException e) {
            warnings.accept("Renaming ACL file for ACL SAVE: " + Strerror.describe(e));
            try {
                Files.deleteIfExists(temporary);
            } catch (IOException ignored) {
                // The rename's failure is what gets reported.
            }
            return false;
        }
    }
}
