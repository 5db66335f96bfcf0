package io.postbox.commands.tracking;

import java.util.Collections;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * How one client tracks keys (CLIENT TRACKING ON and its options), as CLIENT TRACKINGINFO reports it.
 * A client without tracking has none. Executor thread only.
 */
public final class TrackingMode {

    /** Where invalidations go instead of this client: a client id, or 0 for this client itself. */
    private final long redirect;
    private final boolean broadcast;
    private final boolean optIn;
    private final boolean optOut;
    private final boolean noLoop;
    /** BCAST prefixes, in byte order, as Latin-1 strings; the empty one matches every key. */
    private final SortedSet<String> prefixes = new TreeSet<>();
    /** CLIENT CACHING YES (under OPTIN) or NO (under OPTOUT), for the next command or transaction. */
    private boolean caching;
    /** An invalidation found the redirection's client gone. */
    private boolean brokenRedirect;

    TrackingMode(long redirect, boolean broadcast, boolean optIn, boolean optOut, boolean noLoop) {
        this.redirect = redirect;
        this.broadcast = broadcast;
        this.optIn = optIn;
        this.optOut = optOut;
        this.noLoop = noLoop;
    }

    /** The same client turning tracking on again: new options, its prefixes and CACHING kept, as Redis does. */
    TrackingMode again(long redirect, boolean optIn, boolean optOut, boolean noLoop) {
        TrackingMode next = new TrackingMode(redirect, broadcast, optIn, optOut, noLoop);
        next.prefixes.addAll(prefixes);
        next.caching = caching;
        return next;
    }

    public long redirect() {
        return redirect;
    }

    public boolean broadcast() {
        return broadcast;
    }

    public boolean optIn() {
        return optIn;
    }

    public boolean optOut() {
        return optOut;
    }

    public boolean noLoop() {
        return noLoop;
    }

    public boolean caching() {
        return caching;
    }

    public void caching(boolean caching) {
        this.caching = caching;
    }

    public boolean brokenRedirect() {
        return brokenRedirect;
    }

    void brokenRedirect(boolean broken) {
        this.brokenRedirect = broken;
    }

    public SortedSet<String> prefixes() {
        return Collections.unmodifiableSortedSet(prefixes);
    }

    void addPrefix(String prefix) {
        prefixes.add(prefix);
    }

    /** Whether the keys the next read names are remembered: OPTIN needs CACHING YES, OPTOUT no CACHING NO. */
    boolean remembersReads() {
        return optIn ? caching : !(optOut && caching);
    }
}
