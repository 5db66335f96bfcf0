package io.postbox.commands.config;

/**
 * A {@code rename-command} directive of the config file: clients call command {@code from} by the name
 * {@code to} from then on, or cannot call it at all if {@code to} is empty.
 */
public record CommandRename(String from, String to) {
}
