package io.postbox.it;

import io.postbox.it.support.Subprocess;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the tests of a Python queue framework share: the framework's modules for the test copied into a
 * temporary directory the worker and client processes run in; without the framework installed, the
 * test skips.
 */
abstract class PythonFrameworkTest extends QueueFrameworkTest {

    @TempDir
    Path dir;

    /**
     * Skips the test unless /usr/bin/python3 can {@code import modules} (Debian's {@code aptPackage}), then
     * copies the {@code files} under the resource folder {@code /python/<resources>/} into {@link #dir}.
     */
    void install(String modules, String aptPackage, String resources, String... files) throws Exception {
        Assumptions.assumeTrue(Subprocess.run(List.of("/usr/bin/python3", "-c", "import " + modules), null, 60)
                .exitCode() == 0, getClass().getSimpleName() + " skipped: /usr/bin/python3 cannot import "
                + modules + " (apt-get install " + aptPackage + ")");
        for (String file : files) {
            try (InputStream in = getClass().getResourceAsStream("/python/" + resources + "/" + file)) {
                Files.copy(in, dir.resolve(file));
            }
        }
    }
}
