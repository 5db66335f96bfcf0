package io.postbox.persistence;

/** Where persistence reports what it does: the server log. Called on the executor thread. */
public interface Log {

    void notice(String message);

    void warning(String message);
}
