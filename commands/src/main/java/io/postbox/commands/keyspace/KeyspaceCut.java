package io.postbox.commands.keyspace;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The keyspace as it was at one instant, visited a slice at a time while commands keep changing it:
 * the forkless snapshot of DESIGN.md. Every key that existed at the cut is handed to the
 * {@link Visitor} exactly once, with the value and expiry it had at the cut: a key whose expiry time
 * had passed too, if no command or expiry cycle had deleted it yet, as a forked Redis child saves what
 * it finds (a load leaves such keys out, and counts them, as Redis's does).
 *
 * <p>How: each database's dict is walked with the reverse-binary scan cursor. Keys whose hash, read
 * bit-reversed, is below the cursor's boundary have been visited; that set only grows, even when the
 * dict resizes between slices. Before any write touches a key (every write of {@link Database} calls
 * {@link #beforeWrite} first), a key not visited yet is visited then, with its old value, and
 * remembered in a small "done" set so the walk skips it later; a key created after the cut is
 * remembered the same way, as absent. FLUSHDB, FLUSHALL and SWAPDB replace or exchange whole dicts: the
 * walk keeps the dicts it started with, and a write reaches it through the dict it touches. Memory
 * overhead is the done set (keys written ahead of the walk) plus what the visitor buffers.
 *
 * <p>A visitor may keep reading a large value across slices (it returns true from
 * {@link Visitor#visit}); the cut then calls {@link Visitor#resume} until it is finished before
 * visiting further keys, and {@link Visitor#release} first if that key is about to change, so the
 * visitor can carry on from a copy.
 *
 * <p>Executor thread only.
 */
public final class KeyspaceCut {

    /** Receives the keys of the cut. */
    public interface Visitor {

        /**
         * A key as it was at the cut, in database {@code db} as numbered at the cut; {@code expireAt}
         * is Unix milliseconds or -1. If {@code live}, {@code value} is the keyspace's own object and
         * unchanged since the cut, and the visitor may return true to go on reading it in later slices;
         * otherwise the key is about to change and the visitor must take what it needs now (and
         * return false).
         */
        boolean visit(int db, byte[] key, Object value, long expireAt, boolean live);

        /**
         * Continues the visitor's unfinished work (the value kept by the last {@link #visit}, and
         * anything it queued behind it) for about one slice; true once none is left. Called first in
         * every {@link #step}, and before each further key.
         */
        boolean resume();

        /** The kept value is about to change: from now on the visitor must work from a copy. */
        void release();
    }

    /** One database's dicts as they were at the cut, and how far the walk has come. */
    private static final class Part {
        final int index;
        final int size;
        final int expiresSize;
        final Dict<KeyEntry> keys;
        final Dict<ExpireEntry> expires;
        /** Keys written or created ahead of the walk, already visited (or absent at the cut). */
        final Dict<Done> done = new Dict<>();
        /** The entries of the bucket(s) being visited, and how many of them have been. */
        final List<KeyEntry> bucket = new ArrayList<>();
        int bucketVisited;
        boolean started;
        long cursor;
        long nextCursor;
        /** Keys whose bit-reversed hash (unsigned) is below this have been visited; 2^32 when all. */
        long boundary;

        Part(Database db) {
            index = db.index();
            keys = db.keysDict();
            expires = db.expiresDict();
            size = keys.size();
            expiresSize = expires.size();
        }

        boolean finished() {
            return boundary > 0xFFFFFFFFL;
        }
    }

    private static final class Done extends Dict.Entry {
        Done(byte[] key, int hash) {
            super(key, hash);
        }
    }

    private final List<Database> databases;
    private final Part[] parts;
    private final Visitor visitor;
    private int current;
    private Part heldPart;
    private byte[] heldKey;
    private long visited;
    private boolean closed;

    private KeyspaceCut(List<Database> databases, Visitor visitor) {
        this.databases = databases;
        this.visitor = visitor;
        List<Part> nonEmpty = new ArrayList<>();
        for (Database db : databases) {
            if (db.size() > 0) {
                nonEmpty.add(new Part(db));
            }
        }
        parts = nonEmpty.toArray(new Part[0]);
    }

    /**
     * Takes the cut now, and hooks it into the databases' writes until {@link #close()}. Several cuts
     * may run at once.
     */
    public static KeyspaceCut take(List<Database> databases, Visitor visitor) {
        KeyspaceCut cut = new KeyspaceCut(databases, visitor);
        for (Database db : databases) {
            db.addCut(cut);
        }
        return cut;
    }

    /** Unhooks the cut from the databases, finished or not; closing twice does nothing. */
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (Database db : databases) {
            db.removeCut(this);
        }
    }

    /** Keys (and keys with a TTL) database {@code db} held at the cut, for RESIZEDB hints. */
    public int size(int db) {
        Part part = byIndex(db);
        return part == null ? 0 : part.size;
    }

    public int expiresSize(int db) {
        Part part = byIndex(db);
        return part == null ? 0 : part.expiresSize;
    }

    /** Keys handed to the visitor so far. */
    public long visited() {
        return visited;
    }

    /** Keys the cut holds in all: what {@link #visited()} reaches at the end. */
    public long total() {
        long total = 0;
        for (Part part : parts) {
            total += part.size;
        }
        return total;
    }

    /**
     * Visits keys until {@code deadlineNanos} ({@link System#nanoTime()}) passes; true once every key
     * of the cut has been visited and the visitor is done with the last.
     */
    public boolean step(long deadlineNanos) {
        return step(deadlineNanos, Long.MAX_VALUE);
    }

    /** {@link #step(long)}, stopping also once {@link #visited()} reaches {@code visitLimit}. */
    public boolean step(long deadlineNanos, long visitLimit) {
        while (true) {
            if (!visitor.resume()) {
                return false;
            }
            heldPart = null;
            heldKey = null;
            if (current == parts.length) {
                return true;
            }
            if (System.nanoTime() - deadlineNanos >= 0 || visited >= visitLimit) {
                return false;
            }
            Part part = parts[current];
            if (part.bucketVisited == part.bucket.size()) {
                advance(part);
                if (part.finished()) {
                    current++;
                }
                continue;
            }
            KeyEntry entry = part.bucket.get(part.bucketVisited++);
            // After the dict shrank, a bucket may hold keys from behind the boundary too.
            if (reversed(entry.hash) < part.boundary || part.done.remove(entry.key, entry.hash) != null) {
                continue;
            }
            visited++;
            if (visitor.visit(part.index, entry.key, entry.value, expiryOf(part, entry), true)) {
                heldPart = part;
                heldKey = entry.key;
            }
        }
    }

    /** Moves the walk past the bucket(s) just visited and loads the next. */
    private void advance(Part part) {
        part.bucket.clear();
        part.bucketVisited = 0;
        if (part.started) {
            if (part.nextCursor == 0) {
                part.boundary = 1L << 32;
                return;
            }
            part.cursor = part.nextCursor;
            part.boundary = Math.max(part.boundary, reversed((int) part.cursor));
        }
        part.started = true;
        part.nextCursor = part.keys.scan(part.cursor, part.bucket::add);
    }

    /** The hash (or cursor) with its bits in reverse order, unsigned: its place in the walk. */
    private static long reversed(int hash) {
        return Integer.toUnsignedLong(Integer.reverse(hash));
    }

    private static long expiryOf(Part part, Dict.Entry entry) {
        if (part.expires.size() == 0) {
            return -1;
        }
        ExpireEntry expiry = part.expires.find(entry.key, entry.hash);
        return expiry == null ? -1 : expiry.when;
    }

    /**
     * Called by {@link Database} before any write to {@code key} in the dict {@code keys}: visits the
     * key's value as it was at the cut, if the walk has not yet.
     */
    void beforeWrite(Dict<KeyEntry> keys, byte[] key, int hash) {
        Part part = partOf(keys);
        if (part == null) {
            return;
        }
        if (part == heldPart && Arrays.equals(key, heldKey)) {
            visitor.release();
            heldPart = null;
            heldKey = null;
            return;
        }
        if (part.finished() || isVisited(part, key, hash)) {
            return;
        }
        part.done.add(new Done(key, hash));
        KeyEntry entry = part.keys.find(key, hash);
        if (entry == null) {
            return;
        }
        visited++;
        visitor.visit(part.index, entry.key, entry.value, expiryOf(part, entry), false);
    }

    private boolean isVisited(Part part, byte[] key, int hash) {
        if (reversed(hash) < part.boundary) {
            return true;
        }
        if (part.done.find(key, hash) != null) {
            return true;
        }
        for (int i = 0; i < part.bucketVisited; i++) {
            KeyEntry entry = part.bucket.get(i);
            if (entry.hash == hash && Arrays.equals(entry.key, key)) {
                return true;
            }
        }
        return false;
    }

    private Part partOf(Dict<KeyEntry> keys) {
        for (Part part : parts) {
            if (part.keys == keys) {
                return part;
            }
        }
        return null;
    }

    private Part byIndex(int db) {
        for (Part part : parts) {
            if (part.index == db) {
                return part;
            }
        }
        return null;
    }
}
