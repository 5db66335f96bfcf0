package io.postbox.persistence.rdb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class IntsetTest {

    @Test
    void widthIsTheSmallestThatHoldsEveryMember() {
        assertEquals(2, Listpack.getInt(Intset.encode(new long[] {-32768, 5, 32767}, 3), 0));
        assertEquals(4, Listpack.getInt(Intset.encode(new long[] {-32769, 5}, 2), 0));
        assertEquals(8, Listpack.getInt(Intset.encode(new long[] {1, 1L << 40}, 2), 0));
    }

    @Test
    void roundTripsAsDecimalText() {
        long[] members = {Long.MIN_VALUE, -70000, -1, 0, 3, 70000, Long.MAX_VALUE};
        List<String> back = new ArrayList<>();
        Intset.forEach(Intset.encode(members, members.length), m -> back.add(new String(m, StandardCharsets.US_ASCII)));
        assertEquals(List.of("-9223372036854775808", "-70000", "-1", "0", "3", "70000", "9223372036854775807"), back);
    }

    @Test
    void membersOutOfOrderOrWrongSizeAreRejected() {
        byte[] blob = Intset.encode(new long[] {1, 2}, 2);
        blob[8] = 5;
        assertThrows(IllegalArgumentException.class, () -> Intset.forEach(blob, m -> { }));
        assertThrows(IllegalArgumentException.class, () -> Intset.forEach(java.util.Arrays.copyOf(blob, 11), m -> { }));
    }
}
