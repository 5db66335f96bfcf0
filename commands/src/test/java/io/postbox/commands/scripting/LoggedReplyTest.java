package io.postbox.commands.scripting;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.postbox.resp.DiscardingReply;
import io.postbox.resp.ErrorReply;
import org.junit.jupiter.api.Test;

/** Replies as Redis's debugger logs them (ldbRedisProtocolToHuman), in RESP2 and RESP3. */
class LoggedReplyTest {

    @Test
    void simpleRepliesShowTheirTypeByte() {
        LoggedReply ok = logged(2);
        ok.ok();
        assertEquals("<reply> \"+OK\"", ok.line());
        assertNull(ok.error());
        LoggedReply error = logged(2);
        error.error(new ErrorReply("WRONGTYPE Operation against a key"));
        assertEquals("<reply> \"-WRONGTYPE Operation against a key\"", error.line());
        assertEquals("-WRONGTYPE Operation against a key", error.error());
        LoggedReply bulk = logged(2);
        bulk.bulk(new byte[] {'a', '"', 0, (byte) 0xc8, '\n'});
        assertEquals("<reply> \"a\\\"\\x00\\xc8\\n\"", bulk.line());
    }

    @Test
    void aggregatesNestWithCommasAndMapsPairWithArrows() {
        LoggedReply resp3 = logged(3);
        resp3.array(3);
        resp3.map(2);
        resp3.bulk("k");
        resp3.integer(1);
        resp3.bulk("e");
        resp3.array(0);
        resp3.set(2);
        resp3.bulk("m");
        resp3.nullBulk();
        resp3.doubleValue(1.5);
        assertEquals("<reply> [{\"k\" => 1,\"e\" => []},~(\"m\",(null)),(double) 1.5]", resp3.line());
    }

    @Test
    void resp2ShowsRespThreeTypesAsTheyAreSent() {
        LoggedReply resp2 = logged(2);
        resp2.array(4);
        resp2.map(1);
        resp2.bulk("k");
        resp2.bool(true);
        resp2.nullArray();
        resp2.doubleValue(2.5);
        resp2.set(0);
        assertEquals("<reply> [[\"k\",1],NULL,\"2.5\",[]]", resp2.line());
    }

    private static LoggedReply logged(int protocol) {
        return new LoggedReply(new DiscardingReply(() -> protocol));
    }
}
