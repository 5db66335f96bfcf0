package io.postbox.persistence;

/**
 * Where persistence reports what it does: the server log. Called on the executor thread, and on a
 * signal's thread before an immediate exit ({@link Persistence#removeTemporaryFiles}).
 */
public interface Log {

    void notice(String message);

    void warning(String message);
}
