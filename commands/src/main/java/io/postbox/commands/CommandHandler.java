package io.postbox.commands;

/** Runs one command on the executor thread, writing its reply to {@link Invocation#reply()}. */
@FunctionalInterface
public interface CommandHandler {

    void execute(Invocation call);
}
