package io.tenk.tls;

import io.tenk.config.AcmeConfig;
import io.tenk.config.Site;
import io.tenk.handler.AcmeChallenges;
import io.tenk.observe.ErrorLog;

import java.io.IOException;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.DelayQueue;
import java.util.concurrent.Delayed;
import java.util.concurrent.TimeUnit;

/**
 * Keeps the ACME sites' certificates: on one daemon thread of its own, for each site, obtains a
 * certificate when there is none (or the stored one is no longer usable), renews it once less
 * than {@link AcmeConfig#RENEW_WHEN_LEFT} of its lifetime is left, stores it
 * ({@link AcmeStorage}) and installs it in the running server ({@link ServerTls#install}), with
 * no restart. A failure is one log line; the site keeps the certificate it has and the next try
 * comes after the configured retry wait, doubling up to {@link AcmeConfig#MAX_RETRY}.
 */
public final class AcmeRenewals implements AutoCloseable {
    /** The longest wait between two looks at a certificate (a clock that jumped is noticed within it). */
    static final Duration LOOK_AT_LEAST_EVERY = Duration.ofHours(12);

    private final ServerTls tls;
    private final AcmeChallenges answers;
    private final ErrorLog log;
    private final DelayQueue<Due> due = new DelayQueue<>();
    private final Thread thread = Thread.ofPlatform().daemon().name("tenk-acme").unstarted(this::run);
    private volatile boolean closed;

    /** A site to look at when its time comes. */
    private record Due(Managed m, long atNanos) implements Delayed {
        @Override public long getDelay(TimeUnit unit) { return unit.convert(atNanos - System.nanoTime(), TimeUnit.NANOSECONDS); }

        @Override public int compareTo(Delayed o) { return Long.compare(atNanos, ((Due) o).atNanos); }
    }

    /** One ACME site: its place among the sites, its CA, and what it has now. */
    private static final class Managed {
        final int site;
        final List<String> names;
        final AcmeConfig config;
        final AcmeStorage storage;
        X509Certificate issued; // by the CA, as stored; null while the site has the temporary one
        int failures;

        Managed(int site, Site s) {
            this.site = site;
            this.names = s.names();
            this.config = s.tls().acme();
            this.storage = AcmeStorage.of(config);
        }
    }

    private AcmeRenewals(ServerTls tls, AcmeChallenges answers, ErrorLog log) {
        this.tls = tls;
        this.answers = answers;
        this.log = log;
    }

    /** Starts looking after every ACME site of {@code tls}, answering challenges through {@code answers}. */
    public static AcmeRenewals start(ServerTls tls, AcmeChallenges answers, ErrorLog log) {
        AcmeRenewals r = new AcmeRenewals(tls, answers, log);
        List<Site> sites = tls.sites();
        for (int i = 0; i < sites.size(); i++) {
            Site s = sites.get(i);
            if (s.tls() == null || s.tls().acme() == null) continue;
            r.due.add(new Due(new Managed(i, s), System.nanoTime()));
        }
        r.thread.start();
        return r;
    }

    /** The ACME thread: each site in turn, when its time comes, until {@link #close}. */
    private void run() {
        try {
            while (!closed) look(due.take().m());
        } catch (InterruptedException e) {
            // closed
        }
    }

    /** Whether any site of {@code sites} has its certificate by ACME. */
    public static boolean any(List<Site> sites) {
        return sites.stream().anyMatch(s -> s.tls() != null && s.tls().acme() != null);
    }

    /** Obtains or renews {@code m}'s certificate if it is time, then plans the next look. */
    private void look(Managed m) {
        try {
            if (m.issued == null) {
                CertificateSet.Entry stored = m.storage.stored(m.names);
                if (stored != null) m.issued = stored.leaf();
            }
            Instant now = Instant.now();
            if (m.issued != null && now.isBefore(renewAt(m.issued))) {
                later(m, Duration.between(now, renewAt(m.issued)));
                return;
            }
            KeyPair domainKey = LocalCa.newKeyPair();
            List<X509Certificate> chain = new AcmeClient(m.config, answers).obtain(m.storage.accountKey(), m.names, domainKey);
            m.storage.save(m.names, domainKey, chain);
            tls.install(m.site, chain, domainKey.getPrivate());
            m.issued = chain.getFirst();
            m.failures = 0;
            log.info("acme: new certificate for " + String.join(", ", m.names) + " from " + m.config.directory().getHost()
                    + ", valid until " + m.issued.getNotAfter().toInstant());
            later(m, Duration.between(Instant.now(), renewAt(m.issued)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // the server is stopping
        } catch (Exception | LinkageError | AssertionError e) {
            if (closed) return; // the server is stopping: what failed is the request cut short
            Duration wait = backoff(m.config.retry(), m.failures++);
            log.error("acme: no certificate for " + String.join(", ", m.names) + " from " + m.config.directory().getHost()
                    + " (next try in " + spelled(wait) + (m.issued == null ? "" : ", the current one stays") + ")", new IOException(reason(e), e));
            later(m, wait);
        }
    }

    /** When a certificate is due for renewal: once {@link AcmeConfig#RENEW_WHEN_LEFT} of its lifetime is left. */
    static Instant renewAt(X509Certificate c) {
        Instant from = c.getNotBefore().toInstant(), until = c.getNotAfter().toInstant();
        long life = Duration.between(from, until).toMillis();
        return until.minusMillis((long) (life * AcmeConfig.RENEW_WHEN_LEFT));
    }

    /** The wait after {@code failures} failures before this one: {@code base}, doubled each time, at most a day. */
    static Duration backoff(Duration base, int failures) {
        Duration d = base;
        for (int i = 0; i < failures && d.compareTo(AcmeConfig.MAX_RETRY) < 0; i++) d = d.multipliedBy(2);
        return d.compareTo(AcmeConfig.MAX_RETRY) > 0 ? AcmeConfig.MAX_RETRY : d;
    }

    /** A wait as the config file writes one: {@code 100ms}, {@code 1.6s}, {@code 2m}, {@code 24h}. */
    static String spelled(Duration d) {
        long ms = d.toMillis();
        if (ms < 1000) return ms + "ms";
        if (ms % 3_600_000 == 0) return ms / 3_600_000 + "h";
        if (ms % 60_000 == 0) return ms / 60_000 + "m";
        return ms % 1000 == 0 ? ms / 1000 + "s" : String.format(java.util.Locale.ROOT, "%.1fs", ms / 1000.0);
    }

    private void later(Managed m, Duration wait) {
        long millis = Math.clamp(wait.toMillis(), 0, LOOK_AT_LEAST_EVERY.toMillis());
        due.add(new Due(m, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis)));
    }

    /** The messages of a failure and its causes, each once: acme4j's own are often only "Network error". */
    private static String reason(Throwable t) {
        List<String> parts = new ArrayList<>();
        for (Throwable c = t; c != null && parts.size() < 4; c = c.getCause()) {
            String m = switch (c) {
                case java.net.ConnectException e when e.getMessage() == null -> "connection refused";
                case java.net.http.HttpTimeoutException e -> "timed out";
                case java.net.UnknownHostException e -> "unknown host " + e.getMessage();
                default -> ErrorLog.describe(c);
            };
            if (!m.equals("unexpected failure") && parts.stream().noneMatch(p -> p.contains(m))) parts.add(m);
        }
        return parts.isEmpty() ? ErrorLog.describe(t) : String.join(": ", parts);
    }

    /** Stops looking; a request to the CA in progress is interrupted. */
    @Override public void close() {
        closed = true;
        thread.interrupt();
    }
}
