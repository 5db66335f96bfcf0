package io.postbox.it.support;

import io.postbox.server.PostboxServer;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Starts an {@link InJvmPostbox} with the given options and closes it: around each test when registered
 * on an instance field, once around the class when registered on a static one. It starts before the
 * class's {@code @BeforeEach} methods and closes after its {@code @AfterEach} methods, so those can
 * connect to it and close their clients.
 *
 * <pre>
 * &#64;RegisterExtension
 * final InJvmPostboxExtension postbox = new InJvmPostboxExtension("--requirepass", "s3cret");
 * </pre>
 */
public final class InJvmPostboxExtension
        implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback {

    private final String[] options;
    /** Set by JUnit's class-level callback, which it calls only for an extension on a static field. */
    private boolean perClass;
    private InJvmPostbox postbox;

    public InJvmPostboxExtension(String... options) {
        this.options = options.clone();
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        perClass = true;
        postbox = InJvmPostbox.start(options);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        close();
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        if (!perClass) {
            postbox = InJvmPostbox.start(options);
        }
    }

    @Override
    public void afterEach(ExtensionContext context) {
        if (!perClass) {
            close();
        }
    }

    /** JUnit calls the after callbacks also when the start failed: that failure is the one to report. */
    private void close() {
        if (postbox != null) {
            postbox.close();
            postbox = null;
        }
    }

    public int port() {
        return postbox.port();
    }

    public PostboxServer server() {
        return postbox.server();
    }
}
