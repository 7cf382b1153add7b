package io.tenk.support;

import io.tenk.config.TlsConfig;
import io.tenk.tls.LocalCa;

import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.List;

/** A development CA in a test's folder, certificates it issues, and clients that trust it. */
public final class TestCerts {
    private final Path dir;
    private final LocalCa ca;
    private final SSLContext client;
    private final TrustManagerFactory trust;

    public TestCerts(Path dir) throws IOException {
        this.dir = dir;
        this.ca = LocalCa.loadOrCreate(dir.resolve("ca"));
        try {
            KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
            trust.load(null, null);
            trust.setCertificateEntry("tenk-test", ca.certificate());
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            this.trust = tmf;
            client = SSLContext.getInstance("TLS");
            client.init(null, tmf.getTrustManagers(), null);
        } catch (GeneralSecurityException e) {
            throw new IOException(e);
        }
    }

    /** A certificate for {@code names} (and localhost, 127.0.0.1, ::1), as PEM files named {@code base}.pem and {@code base}-key.pem. */
    public TlsConfig issue(String base, String... names) throws IOException {
        return ca.issue(List.of(names), dir.resolve(base + ".pem"), dir.resolve(base + "-key.pem"));
    }

    public Path caFile() { return ca.certFile(); }

    /** A client context that trusts the test CA. */
    public SSLContext clientContext() { return client; }

    /** A TLS socket to {@code address}, handshake done, asking for {@code sni} (null: none). */
    public SSLSocket connect(InetSocketAddress address, String sni) throws IOException {
        return connect(client, address, sni, 5000);
    }

    /** As {@link #connect(InetSocketAddress, String)}, from a client with no session to resume. */
    public SSLSocket connectFresh(InetSocketAddress address, String sni) throws IOException {
        return connectFresh(address, sni, 5000);
    }

    /** Like {@link #connectFresh(InetSocketAddress, String)}, with reads (the handshake's too) timed out after {@code timeoutMillis}. */
    public SSLSocket connectFresh(InetSocketAddress address, String sni, int timeoutMillis) throws IOException {
        try {
            SSLContext c = SSLContext.getInstance("TLS");
            c.init(null, trust.getTrustManagers(), null);
            return connect(c, address, sni, timeoutMillis);
        } catch (GeneralSecurityException e) {
            throw new IOException(e);
        }
    }

    private static SSLSocket connect(SSLContext context, InetSocketAddress address, String sni, int timeoutMillis) throws IOException {
        SSLSocket s = (SSLSocket) context.getSocketFactory().createSocket(address.getAddress(), address.getPort());
        s.setSoTimeout(timeoutMillis);
        s.setTcpNoDelay(true);
        SSLParameters p = s.getSSLParameters();
        p.setServerNames(sni == null ? List.of() : List.of(new SNIHostName(sni)));
        p.setEndpointIdentificationAlgorithm(null);
        p.setApplicationProtocols(new String[] {"h2", "http/1.1"});
        s.setSSLParameters(p);
        s.startHandshake();
        return s;
    }
}
