package io.tenk.observe;

import io.tenk.http.Method;

import java.util.concurrent.atomic.LongAdder;

/**
 * The server's counters, shared by every connection: requests by method and status class,
 * response bytes, a request-duration histogram, timeouts by kind, reloads. {@link #exchange} runs once per
 * response on the I/O thread, so it takes no lock and allocates nothing: each count is a
 * {@link LongAdder} (a CAS on its base when uncontended, per-thread cells when contended), made
 * when the server starts. {@link MetricsText} reads them when scraped.
 *
 * <p>{@link #disabled()} counts nothing (no admin listener, nobody to read them).
 */
public final class Metrics {

    /** Upper bounds of the duration buckets, in seconds ({@code le} labels); +Inf follows. */
    static final double[] BUCKET_SECONDS = {0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
            0.1, 0.25, 0.5, 1, 2.5, 5, 10};
    private static final long[] BUCKET_NANOS = new long[BUCKET_SECONDS.length];
    static {
        for (int i = 0; i < BUCKET_SECONDS.length; i++) BUCKET_NANOS[i] = Math.round(BUCKET_SECONDS[i] * 1e9);
    }
    /** Status classes 1xx to 5xx; anything else counts as 5xx (it cannot be sent). */
    static final int CLASSES = 5;
    static final Method[] METHODS = Method.values();

    private static final Metrics DISABLED = new Metrics(false);

    private final boolean enabled;
    /** Buckets of the histogram, the last for longer than every bound (+Inf). */
    private static final int BUCKETS = BUCKET_NANOS.length + 1;
    /**
     * Responses by method, status class and duration bucket, {@code [(method * CLASSES + class) * BUCKETS +
     * bucket]}: one increment counts a response for both the request counter and the histogram
     * (each is a sum over the other's dimension when scraped).
     */
    private final LongAdder[] responses = adders(METHODS.length * CLASSES * BUCKETS);
    private final LongAdder responseBytes = new LongAdder();
    private final LongAdder durationNanos = new LongAdder();
    private final LongAdder[] timeouts = adders(Timeout.values().length);
    private final LongAdder reloadsOk = new LongAdder();
    private final LongAdder reloadsFailed = new LongAdder();

    private Metrics(boolean enabled) { this.enabled = enabled; }

    /** Counters for a server whose metrics are read (an admin listener is configured). */
    public static Metrics counting() { return new Metrics(true); }

    /** Counts nothing. */
    public static Metrics disabled() { return DISABLED; }

    public boolean enabled() { return enabled; }

    /**
     * One response finished (written whole, or cut short when its connection closed).
     *
     * @param method the request's method, null when no request was parsed (a 400, a 408)
     * @param status the status code sent
     * @param bytes  content bytes sent
     * @param nanos  from the read that brought the request's first bytes to the write of its last
     *               response byte, on the clock the connection's thread read when it woke up
     *               ({@link System#nanoTime()}, read once per wake-up: reading it again here would
     *               cost more than all the counting)
     */
    public void exchange(Method method, int status, long bytes, long nanos) {
        if (!enabled) return;
        int m = method == null ? Method.OTHER.ordinal() : method.ordinal();
        int c = status / 100 - 1;
        if (c < 0 || c >= CLASSES) c = CLASSES - 1;
        int b = 0;
        while (b < BUCKET_NANOS.length && nanos > BUCKET_NANOS[b]) b++;
        responses[(m * CLASSES + c) * BUCKETS + b].increment();
        responseBytes.add(bytes);
        durationNanos.add(Math.max(0, nanos));
    }

    /** What a connection was doing when a time limit closed it (the {@code kind} label). */
    public enum Timeout {
        /** A request head (or, over TLS, the handshake) not complete within the header timeout. */
        HEADER,
        /** A request body that stopped arriving. */
        BODY,
        /** A kept-alive connection with no next request. */
        IDLE,
        /** A response the client stopped reading. */
        WRITE,
        /** A response read slower than the minimum write rate. */
        MIN_RATE,
        /** A closing connection whose client kept sending. */
        LINGER;

        public String label() { return name().toLowerCase(java.util.Locale.ROOT); }
    }

    /** A connection reached a time limit ({@code kind}) and is closed (after a 408 for a head). */
    public void timedOut(Timeout kind) {
        if (enabled) timeouts[kind.ordinal()].increment();
    }

    long timeouts(Timeout kind) { return timeouts[kind.ordinal()].sum(); }

    /** A configuration reload finished: applied ({@code ok}) or refused (the running one stays). */
    public void reloaded(boolean ok) {
        if (enabled) (ok ? reloadsOk : reloadsFailed).increment();
    }

    long requests(Method m, int statusClass) {
        long n = 0;
        int from = (m.ordinal() * CLASSES + statusClass) * BUCKETS;
        for (int b = 0; b < BUCKETS; b++) n += responses[from + b].sum();
        return n;
    }

    long responseBytes() { return responseBytes.sum(); }

    /** Requests that took at most bucket {@code i}'s bound (not cumulative); {@code i == BUCKET_SECONDS.length}: longer. */
    long durationBucket(int i) {
        long n = 0;
        for (int at = i; at < responses.length; at += BUCKETS) n += responses[at].sum();
        return n;
    }

    double durationSeconds() { return durationNanos.sum() / 1e9; }

    long reloads(boolean ok) { return (ok ? reloadsOk : reloadsFailed).sum(); }

    private static LongAdder[] adders(int n) {
        LongAdder[] a = new LongAdder[n];
        for (int i = 0; i < n; i++) a[i] = new LongAdder();
        return a;
    }
}
