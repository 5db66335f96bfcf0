package io.postbox.commands.connection;

import io.postbox.commands.Engine;
import io.postbox.commands.hashes.HashValue;
import io.postbox.commands.keyspace.Database;
import io.postbox.commands.lists.PackedList;
import io.postbox.commands.sets.SetValue;
import io.postbox.commands.streams.StreamEntry;
import io.postbox.commands.streams.StreamId;
import io.postbox.commands.streams.StreamValue;
import io.postbox.commands.zsets.SortedSet;
import io.postbox.resp.DoubleFormat;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * DEBUG DIGEST and DEBUG DIGEST-VALUE: Redis's SHA-1 digests of the dataset and of values, computed
 * as Redis's debug.c computes them, so that the same data gives the same digest on both servers.
 * Unordered things (keys, set members, hash fields, sorted-set entries) are combined by XOR so that
 * their order does not matter; ordered things (list elements, stream entries) by feeding the digest
 * back in ({@link #mix}). Expired keys count as long as they are stored, as in Redis.
 */
final class DatasetDigest {

    /** Redis's type codes (OBJ_STRING ... OBJ_STREAM), mixed in first. */
    private static final int STRING = 0;
    private static final int LIST = 1;
    private static final int SET = 2;
    private static final int ZSET = 3;
    private static final int HASH = 4;
    private static final int STREAM = 6;
    private static final byte[] EXPIRE_MARK = "!!expire!!".getBytes(StandardCharsets.US_ASCII);

    private final MessageDigest sha1;

    DatasetDigest() {
        try {
            sha1 = MessageDigest.getInstance("SHA-1");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-1", e);
        }
    }

    /** The digest of every database, in hex: forty zeros when there are no keys. */
    String ofDataset(Engine engine) {
        byte[] result = new byte[20];
        for (int i = 0; i < engine.databaseCount(); i++) {
            Database db = engine.database(i);
            if (db.size() == 0) {
                continue;
            }
            // The database's number is mixed in, so that the same keys in another database differ.
            mix(result, new byte[] {(byte) (i >>> 24), (byte) (i >>> 16), (byte) (i >>> 8), (byte) i});
            db.forEachStored((key, value) -> {
                byte[] keyDigest = new byte[20];
                mix(keyDigest, key);
                addValue(keyDigest, db, key, value);
                xorIn(result, keyDigest);
            });
        }
        return HexFormat.of().formatHex(result);
    }

    /** The digest of the value stored under {@code key} (not its name), in hex; forty zeros without one. */
    String ofValue(Database db, byte[] key) {
        byte[] result = new byte[20];
        Object value = db.stored(key);
        if (value != null) {
            addValue(result, db, key, value);
        }
        return HexFormat.of().formatHex(result);
    }

    private void addValue(byte[] digest, Database db, byte[] key, Object value) {
        if (value instanceof byte[] string) {
            mixType(digest, STRING);
            mix(digest, string);
        } else if (value instanceof PackedList list) {
            mixType(digest, LIST);
            PackedList.ChunkCursor chunks = list.chunkCursor(0);
            while (chunks.visitNext((data, offset, length) -> mix(digest, Arrays.copyOfRange(data, offset,
                    offset + length)))) {
                // Each visit mixes in one chunk's elements, in order.
            }
        } else if (value instanceof SetValue set) {
            mixType(digest, SET);
            set.forEach(member -> xorIn(digest, member));
        } else if (value instanceof SortedSet zset) {
            mixType(digest, ZSET);
            zset.visitAll((member, score) -> xorIn(digest, pairDigest(member, DoubleFormat.g17Bytes(score))));
        } else if (value instanceof HashValue hash) {
            mixType(digest, HASH);
            hash.forEach((field, fieldValue) -> xorIn(digest, pairDigest(field, fieldValue)));
        } else if (value instanceof StreamValue stream) {
            mixType(digest, STREAM);
            for (StreamEntry entry : stream.range(StreamId.MIN, StreamId.MAX, 0, false)) {
                mix(digest, (Long.toUnsignedString(entry.id().ms()) + "." + Long.toUnsignedString(entry.id().seq()))
                        .getBytes(StandardCharsets.US_ASCII));
                for (byte[] fieldOrValue : entry.fieldsValues()) {
                    mix(digest, fieldOrValue);
                }
            }
        } else {
            throw new IllegalStateException("no digest for " + value.getClass().getName());
        }
        if (db.expireAt(key) != -1) {
            xorIn(digest, EXPIRE_MARK);
        }
    }

    private void mixType(byte[] digest, int type) {
        mix(digest, new byte[] {0, 0, 0, (byte) type});
    }

    /** A sorted-set entry's or a hash field's digest: the two mixed into zeros, in order. */
    private byte[] pairDigest(byte[] first, byte[] second) {
        byte[] digest = new byte[20];
        mix(digest, first);
        mix(digest, second);
        return digest;
    }

    /** Redis's mixDigest: digest = SHA1(digest XOR SHA1(data)), so that order matters. */
    private void mix(byte[] digest, byte[] data) {
        xorIn(digest, data);
        System.arraycopy(sha1.digest(digest), 0, digest, 0, 20);
    }

    /** Redis's xorDigest: digest ^= SHA1(data), so that order does not matter. */
    private void xorIn(byte[] digest, byte[] data) {
        byte[] hash = sha1.digest(data);
        for (int i = 0; i < 20; i++) {
            digest[i] ^= hash[i];
        }
    }
}
