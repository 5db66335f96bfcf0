package io.postbox.it.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** What a server's append-only file holds, as text a test compares: Redis's and Postbox's alike. */
public final class AppendOnlyLog {

    private AppendOnlyLog() {
    }

    /**
     * The commands of the first incremental file in {@code dataDir}'s appendonlydir, one line each, words
     * joined by spaces; the absolute times a server writes in place of relative ones (SET's PXAT,
     * PEXPIREAT's) as {@code T}, since no two servers run at the same millisecond.
     */
    public static List<String> commands(Path dataDir) throws IOException {
        byte[] log = Files.readAllBytes(dataDir.resolve("appendonlydir").resolve("appendonly.aof.1.incr.aof"));
        List<String> commands = new ArrayList<>();
        for (RespValue command : RespValue.parseAll(log)) {
            List<String> words = new ArrayList<>(command.elements().stream().map(RespValue::text).toList());
            int pxat = words.indexOf("PXAT");
            if (pxat >= 0) {
                words.set(pxat + 1, "T");
            }
            if (words.get(0).equalsIgnoreCase("PEXPIREAT")) {
                words.set(2, "T");
            }
            commands.add(String.join(" ", words));
        }
        return commands;
    }
}
