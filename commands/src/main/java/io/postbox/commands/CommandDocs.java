package io.postbox.commands;

import java.util.List;

/**
 * What {@code COMMAND DOCS} tells about a command; {@code syntax} is its usage line without the name.
 * {@code deprecatedSince} and {@code replacedBy} are null unless the command is deprecated.
 */
public record CommandDocs(String group, String summary, String since, String complexity, String syntax,
                          List<String[]> history, List<String> docFlags, String deprecatedSince,
                          String replacedBy) {
}
