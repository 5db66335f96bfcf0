package io.postbox.commands.config;

/**
 * Why a value was refused for an option, in Redis's words ("argument must be 'yes' or 'no'"). CONFIG
 * SET wraps the reason in its error reply; the config file loader prints it under the offending line.
 */
public final class InvalidConfigValue extends RuntimeException {

    public InvalidConfigValue(String reason) {
        super(reason, null, false, false);
    }

    public String reason() {
        return getMessage();
    }
}
