package io.postbox.it.support;

import io.netty.util.ResourceLeakDetector;
import io.netty.util.ResourceLeakDetectorFactory;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Netty's leak detector, also keeping every leak it reports so a test can fail on it. Installed for the
 * whole test JVM by the system property {@code io.netty.customResourceLeakDetector} (see it-tests'
 * pom.xml); at Netty's default level it samples, and a test that wants every buffer tracked raises the
 * level to PARANOID for its duration.
 */
public final class RecordingLeakDetector<T> extends ResourceLeakDetector<T> {

    private static final List<String> LEAKS = new CopyOnWriteArrayList<>();

    public RecordingLeakDetector(Class<?> resourceType, int samplingInterval) {
        super(resourceType, samplingInterval);
    }

    /** The constructor Netty's factory looks up first; without it, it logs an error before using the other. */
    @Deprecated
    @SuppressWarnings("deprecation")
    public RecordingLeakDetector(Class<?> resourceType, int samplingInterval, long maxActive) {
        super(resourceType, samplingInterval, maxActive);
    }

    /** True when Netty creates its leak detectors from this class. */
    public static boolean installed() {
        return ResourceLeakDetectorFactory.instance().newResourceLeakDetector(Object.class) instanceof RecordingLeakDetector;
    }

    /** The leaks reported so far (each with its access records, as Netty logs them). */
    public static List<String> leaks() {
        return List.copyOf(LEAKS);
    }

    public static void clear() {
        LEAKS.clear();
    }

    @Override
    protected boolean needReport() {
        return true;
    }

    @Override
    protected void reportTracedLeak(String resourceType, String records) {
        LEAKS.add("LEAK: " + resourceType + records);
        super.reportTracedLeak(resourceType, records);
    }

    @Override
    protected void reportUntracedLeak(String resourceType) {
        LEAKS.add("LEAK: " + resourceType + " (no records)");
        super.reportUntracedLeak(resourceType);
    }
}
