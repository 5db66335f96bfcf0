package io.postbox.commands.pubsub;

import io.postbox.commands.config.ConfigOption;
import io.postbox.commands.config.KeyspaceEventsType;
import io.postbox.commands.keyspace.Database;
import io.postbox.commands.keyspace.KeyspaceEvents;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Keyspace notifications: each event whose class {@code notify-keyspace-events} enables is published
 * as a pub/sub message, on {@code __keyspace@<db>__:<key>} with the event name as the message (K),
 * and on {@code __keyevent@<db>__:<event>} with the key as the message (E), in that order. Disabled
 * classes cost one test of the option's bits.
 */
public final class KeyspaceNotifications implements KeyspaceEvents {

    private final ConfigOption<Integer> enabled;
    private final PubSub pubsub;

    public KeyspaceNotifications(ConfigOption<Integer> enabled, PubSub pubsub) {
        this.enabled = enabled;
        this.pubsub = pubsub;
    }

    @Override
    public void notify(Database db, int eventClass, String event, byte[] key) {
        int flags = enabled.value();
        if ((flags & eventClass) == 0) {
            return;
        }
        byte[] eventName = event.getBytes(StandardCharsets.ISO_8859_1);
        if ((flags & KeyspaceEventsType.KEYSPACE) != 0) {
            pubsub.publish(channel("__keyspace@", db.index(), key), eventName);
        }
        if ((flags & KeyspaceEventsType.KEYEVENT) != 0) {
            pubsub.publish(channel("__keyevent@", db.index(), eventName), key);
        }
    }

    /** {@code <prefix><db>__:<suffix>} */
    private static byte[] channel(String prefix, int db, byte[] suffix) {
        ByteArrayOutputStream name = new ByteArrayOutputStream(prefix.length() + 8 + suffix.length);
        name.writeBytes((prefix + db + "__:").getBytes(StandardCharsets.ISO_8859_1));
        name.writeBytes(suffix);
        return name.toByteArray();
    }
}
