package io.postbox.commands.hyperloglog;

import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * PFSELFTEST's checks pass on {@link Hll}: registers keep their values, dense and sparse HLLs agree,
 * and estimates stay within six standard errors up to 10,000,000 elements.
 */
class HllSelfTestTest {

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 20_260_101})
    void hllPassesRedisSelfTest(long seed) {
        assertNull(HllSelfTest.run(new Random(seed), 3000));
    }
}
