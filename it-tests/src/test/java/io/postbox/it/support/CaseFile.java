package io.postbox.it.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A side-by-side case file: cases separated by blank lines, {@code #} comments, one command per line
 * in redis-cli syntax. A line {@code ~ cmd} compares only the reply's shape; {@code *n cmd} reads
 * {@code n} replies for the command (SUBSCRIBE a b confirms twice; pub/sub pushes arrive beside a
 * reply), {@code *0 cmd} none; {@code !sleep ms} pauses; {@code !resp2} or {@code !resp3} as a case's
 * first line limits the case to one protocol.
 */
public final class CaseFile {

    /** One step of a case: a command to run and how many replies it gets, or a pause. */
    public record Step(int lineNumber, String text, List<byte[]> command, boolean shapeOnly, int replies,
                       long sleepMillis) {
    }

    /** A case: its first line number, the protocols it runs in, and its steps. */
    public record Case(String file, int lineNumber, List<Integer> protocols, List<Step> steps) {
        public String title() {
            return file + ":" + lineNumber + " " + steps.get(0).text();
        }
    }

    private CaseFile() {
    }

    public static List<Case> parse(Path path) throws IOException {
        String file = path.getFileName().toString();
        List<String> lines = Files.readAllLines(path, StandardCharsets.ISO_8859_1);
        List<Case> cases = new ArrayList<>();
        List<Step> steps = new ArrayList<>();
        List<Integer> protocols = List.of(2, 3);
        int start = 0;
        for (int i = 0; i <= lines.size(); i++) {
            String line = i < lines.size() ? lines.get(i).strip() : "";
            if (line.isEmpty()) {
                if (!steps.isEmpty()) {
                    cases.add(new Case(file, start, protocols, List.copyOf(steps)));
                }
                steps.clear();
                protocols = List.of(2, 3);
                continue;
            }
            if (line.startsWith("#")) {
                continue;
            }
            int lineNumber = i + 1;
            if (steps.isEmpty() && protocols.size() == 2) {
                start = lineNumber;
            }
            if (line.equals("!resp2") || line.equals("!resp3")) {
                if (!steps.isEmpty()) {
                    throw new IllegalArgumentException(file + ":" + lineNumber + ": " + line + " must open a case");
                }
                protocols = List.of(line.equals("!resp2") ? 2 : 3);
            } else if (line.startsWith("!sleep ")) {
                steps.add(new Step(lineNumber, line, null, false, 0, Long.parseLong(line.substring(7).trim())));
            } else {
                boolean shapeOnly = line.startsWith("~ ");
                String command = shapeOnly ? line.substring(2) : line;
                int replies = 1;
                if (command.matches("\\*\\d+ .*")) {
                    int space = command.indexOf(' ');
                    replies = Integer.parseInt(command.substring(1, space));
                    command = command.substring(space + 1);
                }
                byte[] bytes = command.getBytes(StandardCharsets.ISO_8859_1);
                List<byte[]> args = io.postbox.resp.InlineSplitter.split(bytes, 0, bytes.length);
                if (args == null || args.isEmpty()) {
                    throw new IllegalArgumentException(file + ":" + lineNumber + ": cannot split " + line);
                }
                steps.add(new Step(lineNumber, line, args, shapeOnly, replies, 0));
            }
        }
        return cases;
    }
}
