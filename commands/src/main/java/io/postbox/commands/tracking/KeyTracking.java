package io.postbox.commands.tracking;

import io.postbox.commands.Client;
import io.postbox.commands.Clients;
import io.postbox.commands.Command;
import io.postbox.commands.config.ConfigOption;
import io.postbox.commands.introspection.CommandKeys;
import io.postbox.commands.keyspace.Database;
import io.postbox.commands.keyspace.KeyWatchers;
import io.postbox.commands.transactions.Transaction;
import io.postbox.resp.Reply;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * Server-assisted client-side caching (CLIENT TRACKING), as Redis's tracking.c does it. In the default
 * mode, the keys a tracking client reads are remembered with its id, whatever the database; the first
 * change to such a key sends each of them one invalidation and forgets the key, until it is read
 * again. In BCAST mode nothing is remembered: every change to a key under one of the client's prefixes
 * is collected, and each prefix's keys go out in one message when the executor ends its batch of work
 * ({@link #broadcast}). A flush invalidates everything with a null.
 *
 * <p>An invalidation is a RESP3 push, {@code invalidate} and the keys, to the client or to the client
 * it redirects to; a RESP2 redirection target gets it as a message of the {@code __redis__:invalidate}
 * channel if it is in pub/sub mode, and a RESP2 client without redirection gets nothing. One meant for
 * the client whose request is running waits until that request has replied (a transaction's or
 * script's too), so that it never comes between a command and its reply.
 *
 * <p>A client that stops tracking or leaves is forgotten lazily: its id stays with the keys it read
 * until they change, as in Redis. {@code tracking-table-max-keys} bounds the keys remembered: past it,
 * the oldest are invalidated as if changed. Executor thread only.
 */
public final class KeyTracking implements KeyWatchers {

    /** Keys a request may invalidate to bring the table back under its limit, times its calls still over. */
    private static final int EVICTION_EFFORT = 100;
    private static final byte[] INVALIDATE = "invalidate".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] MESSAGE = "message".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CHANNEL = "__redis__:invalidate".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] REDIRECT_BROKEN = "tracking-redir-broken".getBytes(StandardCharsets.US_ASCII);

    /** A BCAST prefix: the keys under it changed in this batch (with who changed each last), and its clients. */
    private static final class Prefix {
        final TreeMap<String, Client> changed = new TreeMap<>();
        final Set<Client> clients = new LinkedHashSet<>();
    }

    private final Clients clients;
    private final ConfigOption<Long> maxKeys;
    /** Remembered keys (Latin-1 strings), oldest first, each with the ids of the clients that read it. */
    private final LinkedHashMap<String, Set<Long>> readers = new LinkedHashMap<>();
    private final TreeMap<String, Prefix> prefixes = new TreeMap<>();
    /** Invalidations for {@link #requester}, sent once its request has replied; null stands for a flush. */
    private List<String> held = new ArrayList<>();
    private long items;
    private int trackingClients;
    /** The client whose request is running, null between requests. */
    private Client requester;
    /** The script running (EVAL, FCALL and their kin) and its command line, null between scripts. */
    private Command scriptCommand;
    private byte[][] scriptArgs;
    /** Calls of {@link #limitTableSize} in a row that could not bring the table under its limit. */
    private int callsOverLimit;

    public KeyTracking(Clients clients, ConfigOption<Long> maxKeys) {
        this.clients = clients;
        this.maxKeys = maxKeys;
    }

    /**
     * CLIENT TRACKING ON, its options already checked; a client that tracks already keeps its BCAST
     * prefixes and adds {@code newPrefixes}, or the empty prefix if none is given, as Redis does.
     */
    public void enable(Client client, long redirect, boolean broadcast, boolean optIn, boolean optOut,
                       boolean noLoop, List<byte[]> newPrefixes) {
        TrackingMode previous = client.tracking();
        TrackingMode mode = previous == null
                ? new TrackingMode(redirect, broadcast, optIn, optOut, noLoop)
                : previous.again(redirect, optIn, optOut, noLoop);
        if (previous == null) {
            trackingClients++;
        }
        client.tracking(mode);
        if (!broadcast) {
            return;
        }
        if (newPrefixes.isEmpty()) {
            newPrefixes = List.of(new byte[0]);
        }
        for (byte[] bytes : newPrefixes) {
            String prefix = name(bytes);
            prefixes.computeIfAbsent(prefix, p -> new Prefix()).clients.add(client);
            mode.addPrefix(prefix);
        }
    }

    /** CLIENT TRACKING OFF, RESET, or the client left. */
    public void disable(Client client) {
        TrackingMode mode = client.tracking();
        if (mode == null) {
            return;
        }
        for (String name : mode.prefixes()) {
            Prefix prefix = prefixes.get(name);
            prefix.clients.remove(client);
            if (prefix.clients.isEmpty()) {
                prefixes.remove(name);
            }
        }
        client.tracking(null);
        trackingClients--;
    }

    /** A request of {@code client} is about to run: invalidations for it wait until it has replied. */
    public void requestStarting(Client client) {
        requester = client;
    }

    /**
     * The request of {@code client} has run ({@code command}: its command, null if unknown): the
     * invalidations held for it go out, and CLIENT CACHING, which covers one request (or a whole
     * transaction), has been used, unless this was a CLIENT command.
     */
    public void requestEnded(Client client, Command command) {
        requester = null;
        sendHeld(client);
        TrackingMode mode = client.tracking();
        if (mode == null || !mode.caching() || Transaction.isOpen(client)) {
            return;
        }
        Command named = command == null || command.container() == null ? command : command.container();
        if (named == null || !named.name().equals("client")) {
            mode.caching(false);
        }
    }

    /** Where a blocked client is served, within another's request: what {@link #served} restores. */
    public record Serving(Client served, Client requester, List<String> held) {
    }

    /**
     * {@code client}, blocked, is about to be served in another client's request: invalidations its
     * serving causes for it wait until its reply is written, as Redis makes it the current client
     * meanwhile. Null (nothing to restore) while no client tracks.
     */
    public Serving serving(Client client) {
        if (trackingClients == 0) {
            return null;
        }
        Serving serving = new Serving(client, requester, held);
        requester = client;
        held = new ArrayList<>();
        return serving;
    }

    /** The blocked client of {@code serving} has its reply: its held invalidations go out. */
    public void served(Serving serving) {
        if (serving != null) {
            sendHeld(serving.served());
            requester = serving.requester();
            held = serving.held();
        }
    }

    private void sendHeld(Client client) {
        if (client.tracking() != null) {
            for (String key : held) {
                sendKey(client, key);
            }
        }
        held.clear();
    }

    /** A script starts: its reads remember the keys {@code args} declares, as Redis 7.0 does. */
    public void scriptStarting(Command command, byte[][] args) {
        scriptCommand = command;
        scriptArgs = args;
    }

    public void scriptEnded() {
        scriptCommand = null;
        scriptArgs = null;
    }

    /**
     * A read-only command ran for {@code client}: the keys it named are remembered for it, if it tracks
     * them. A script's read, for the script's caller, remembers the keys the script declares (all of
     * them, whichever the read named); a script itself, even EVAL_RO, is no read.
     */
    public void read(Client client, Command command, byte[][] args) {
        boolean byScript = client.isScript();
        Client reader = byScript ? requester : client;
        TrackingMode mode = reader == null ? null : reader.tracking();
        if (mode == null || mode.broadcast() || !mode.remembersReads() || (byScript && scriptCommand == null)) {
            return;
        }
        Command named = byScript ? scriptCommand : command;
        byte[][] line = byScript ? scriptArgs : args;
        Long id = reader.id();
        for (CommandKeys.Key key : CommandKeys.find(named, line)) {
            if (readers.computeIfAbsent(name(line[key.position()]), k -> new HashSet<>(2)).add(id)) {
                items++;
            }
        }
    }

    @Override
    public void modified(Database db, byte[] key) {
        if (readers.isEmpty() && prefixes.isEmpty()) {
            return;
        }
        String name = name(key);
        for (Map.Entry<String, Prefix> prefix : prefixes.entrySet()) {
            if (name.startsWith(prefix.getKey())) {
                prefix.getValue().changed.put(name, requester);
            }
        }
        Set<Long> ids = readers.remove(name);
        if (ids != null) {
            tell(ids, name, requester);
        }
    }

    /** Flushes are told by {@link #flushed}: one invalidation per flush, not one per database. */
    @Override
    public void emptying(Database db, Database replacement) {
    }

    /** FLUSHDB or FLUSHALL ran: every tracking client is told that everything changed, and nothing is remembered. */
    public void flushed() {
        if (trackingClients > 0) {
            for (Client client : clients.all()) {
                if (client.tracking() == null) {
                    continue;
                }
                if (client == requester) {
                    held.add(null);
                } else {
                    sendKey(client, null);
                }
            }
        }
        readers.clear();
        items = 0;
    }

    /** The batch of work has ended: each prefix's changed keys go to its clients (NOLOOP: others' changes only). */
    public void broadcast() {
        for (Prefix prefix : prefixes.values()) {
            if (prefix.changed.isEmpty()) {
                continue;
            }
            List<byte[]> all = bytes(prefix.changed, null);
            for (Client client : prefix.clients) {
                List<byte[]> keys = client.tracking().noLoop() ? bytes(prefix.changed, client) : all;
                if (!keys.isEmpty()) {
                    send(client, out -> out.bulks(keys));
                }
            }
            prefix.changed.clear();
        }
    }

    /** Clients with tracking on (INFO's tracking_clients). */
    public int clientCount() {
        return trackingClients;
    }

    /** Keys remembered (tracking_total_keys). */
    public int keyCount() {
        return readers.size();
    }

    /** Client ids remembered, all keys together (tracking_total_items). */
    public long itemCount() {
        return items;
    }

    /** BCAST prefixes with clients (tracking_total_prefixes). */
    public int prefixCount() {
        return prefixes.size();
    }

    /**
     * Over tracking-table-max-keys, the oldest keys are invalidated until the table is back under it,
     * at most {@link #EVICTION_EFFORT} keys per call still over the limit in a row, as Redis bounds it.
     * Before each request, and on the cron, while any client tracks (as Redis).
     */
    public void limitTableSize() {
        if (trackingClients == 0) {
            return;
        }
        long max = maxKeys.value();
        if (max == 0 || readers.size() <= max) {
            callsOverLimit = 0;
            return;
        }
        int effort = EVICTION_EFFORT * (callsOverLimit + 1);
        Iterator<Map.Entry<String, Set<Long>>> oldest = readers.entrySet().iterator();
        while (effort-- > 0 && readers.size() > max) {
            Map.Entry<String, Set<Long>> key = oldest.next();
            oldest.remove();
            tell(key.getValue(), key.getKey(), null);
        }
        callsOverLimit = readers.size() > max ? callsOverLimit + 1 : 0;
    }

    /**
     * Tells the clients {@code ids} that read {@code name} that it changed, but for a NOLOOP client that
     * changed it itself ({@code changer}), and clients that stopped tracking or track by prefix.
     */
    private void tell(Set<Long> ids, String name, Client changer) {
        items -= ids.size();
        for (long id : ids) {
            Client client = clients.get(id);
            TrackingMode mode = client == null ? null : client.tracking();
            if (mode == null || mode.broadcast() || (mode.noLoop() && client == changer)) {
                continue;
            }
            if (client == requester) {
                held.add(name);
            } else {
                sendKey(client, name);
            }
        }
    }

    /** Sends {@code client} the invalidation of one key, or of everything (a flush) for null. */
    private void sendKey(Client client, String key) {
        send(client, key == null ? Reply::nullBulk : keys -> {
            keys.array(1);
            keys.bulk(key);
        });
    }

    /**
     * Sends an invalidation of {@code client}'s, the keys written by {@code keys}, where it goes: see
     * the class comment. A redirection to a client that has left is marked broken, and a RESP3 client
     * is told so instead.
     */
    private void send(Client client, Consumer<Reply> keys) {
        TrackingMode mode = client.tracking();
        Client target = client;
        if (mode.redirect() != 0) {
            target = clients.get(mode.redirect());
            if (target == null) {
                mode.brokenRedirect(true);
                if (client.protocol() == 3) {
                    Reply out = client.pushOutput();
                    out.push(2);
                    out.bulk(REDIRECT_BROKEN);
                    out.integer(mode.redirect());
                }
                return;
            }
        }
        Reply out = target.pushOutput();
        if (target.protocol() == 3) {
            out.push(2);
            out.bulk(INVALIDATE);
        } else if (mode.redirect() != 0 && target.subscribed()) {
            out.push(3);
            out.bulk(MESSAGE);
            out.bulk(CHANNEL);
        } else {
            return;
        }
        keys.accept(out);
    }

    private static List<byte[]> bytes(TreeMap<String, Client> changed, Client except) {
        List<byte[]> keys = new ArrayList<>(changed.size());
        for (Map.Entry<String, Client> key : changed.entrySet()) {
            if (except == null || key.getValue() != except) {
                keys.add(key.getKey().getBytes(StandardCharsets.ISO_8859_1));
            }
        }
        return keys;
    }

    private static String name(byte[] key) {
        return new String(key, StandardCharsets.ISO_8859_1);
    }
}
