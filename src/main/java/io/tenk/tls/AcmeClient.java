package io.tenk.tls;

import io.tenk.config.AcmeConfig;
import io.tenk.handler.AcmeChallenges;
import org.shredzone.acme4j.Account;
import org.shredzone.acme4j.AccountBuilder;
import org.shredzone.acme4j.Authorization;
import org.shredzone.acme4j.Identifier;
import org.shredzone.acme4j.Order;
import org.shredzone.acme4j.PollableResource;
import org.shredzone.acme4j.Problem;
import org.shredzone.acme4j.Session;
import org.shredzone.acme4j.Status;
import org.shredzone.acme4j.challenge.Http01Challenge;
import org.shredzone.acme4j.connector.HttpConnector;
import org.shredzone.acme4j.connector.NetworkSettings;
import org.shredzone.acme4j.exception.AcmeException;
import org.shredzone.acme4j.provider.GenericAcmeProvider;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Obtains one certificate from an ACME CA (RFC 8555) with acme4j: the account (made, or found by
 * its key), an order for the site's names, an HTTP-01 challenge per name answered by
 * {@link AcmeChallenges} on the plain listener, then the certificate for a new key. Blocking
 * network work: it runs on the ACME thread only, never on an event loop.
 */
final class AcmeClient {
    /** How long the CA may take to validate or to issue. */
    private static final Duration PATIENCE = Duration.ofMinutes(2);
    private static final long FIRST_POLL_MILLIS = 100, MAX_POLL_MILLIS = 5_000;

    private final Session session;
    private final AcmeConfig config;
    private final AcmeChallenges answers;

    AcmeClient(AcmeConfig config, AcmeChallenges answers) {
        this.config = config;
        this.answers = answers;
        SSLContext trust = config.ca() == null ? null : trusting(config.ca());
        this.session = new Session(config.directory(), new GenericAcmeProvider() {
            @Override protected HttpConnector createHttpConnector(NetworkSettings settings) {
                return trust == null ? super.createHttpConnector(settings) : new HttpConnector(settings) {
                    @Override public HttpClient.Builder createClientBuilder() { return super.createClientBuilder().sslContext(trust); }
                };
            }
        });
    }

    /** The certificate chain (leaf first) for {@code names} and {@code domainKey}'s public key. */
    List<X509Certificate> obtain(KeyPair accountKey, List<String> names, KeyPair domainKey) throws AcmeException, InterruptedException {
        AccountBuilder ab = new AccountBuilder().agreeToTermsOfService().useKeyPair(accountKey);
        if (config.email() != null) ab.addEmail(config.email());
        Account account = ab.create(session);
        List<Identifier> ids = new ArrayList<>();
        for (String n : names) {
            String name = LocalCa.certificateName(n);
            ids.add(LocalCa.isIp(name) ? Identifier.ip(name) : Identifier.dns(name));
        }
        Order order = account.newOrder().identifiers(ids).create();
        for (Authorization auth : order.getAuthorizations()) authorize(auth);
        if (await(order, EnumSet.of(Status.READY, Status.VALID, Status.INVALID)) == Status.INVALID) {
            throw new AcmeException("the order failed: " + problem(order.getError()));
        }
        if (order.getStatus() == Status.READY) order.execute(domainKey);
        if (await(order, EnumSet.of(Status.VALID, Status.INVALID)) != Status.VALID) {
            throw new AcmeException("the certificate was not issued: " + problem(order.getError()));
        }
        return order.getCertificate().getCertificateChain();
    }

    /** Answers one name's HTTP-01 challenge (the token is served only while it is pending). */
    private void authorize(Authorization auth) throws AcmeException, InterruptedException {
        if (auth.getStatus() == Status.VALID) return;
        String name = auth.getIdentifier().getValue();
        Http01Challenge challenge = auth.findChallenge(Http01Challenge.class)
                .orElseThrow(() -> new AcmeException(name + ": the CA offers no http-01 challenge"));
        answers.put(challenge.getToken(), challenge.getAuthorization());
        try {
            challenge.trigger();
            if (await(auth, EnumSet.of(Status.VALID, Status.INVALID)) != Status.VALID) {
                challenge.fetch();
                throw new AcmeException(name + ": http-01 validation failed: " + problem(challenge.getError()));
            }
        } finally {
            answers.remove(challenge.getToken());
        }
    }

    /**
     * Polls {@code r} until its status is one of {@code done}: after the CA's Retry-After if it
     * sends one, else after 100 ms, doubling up to 5 s; at most {@link #PATIENCE}.
     */
    private static Status await(PollableResource r, Set<Status> done) throws AcmeException, InterruptedException {
        Instant deadline = Instant.now().plus(PATIENCE);
        long wait = FIRST_POLL_MILLIS;
        while (true) {
            Optional<Instant> retryAfter = r.fetch();
            if (done.contains(r.getStatus())) return r.getStatus();
            if (Instant.now().isAfter(deadline)) throw new AcmeException("no answer from the CA within " + PATIENCE.toMinutes() + " minutes");
            long millis = retryAfter.map(t -> Duration.between(Instant.now(), t).toMillis()).orElse(wait);
            Thread.sleep(Math.clamp(millis, 0, MAX_POLL_MILLIS)); // the CA's pace, not a test's
            wait = Math.min(wait * 2, MAX_POLL_MILLIS);
        }
    }

    private static String problem(Optional<Problem> p) {
        return p.map(x -> x.getDetail().orElse(x.getType().toString())).orElse("no reason given");
    }

    /** A TLS context that trusts the certificates in {@code caFile} (PEM) only. */
    private static SSLContext trusting(Path caFile) {
        try {
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            int i = 0;
            for (X509Certificate c : PemFiles.readChain(caFile)) store.setCertificateEntry("ca" + i++, c);
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(store);
            SSLContext c = SSLContext.getInstance("TLS");
            c.init(null, tmf.getTrustManagers(), null);
            return c;
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new TlsSetupException(caFile.getFileName() + ": cannot trust these certificates (" + e.getMessage() + ")");
        }
    }
}
