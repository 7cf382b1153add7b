package io.tenk.transport;

import io.tenk.conn.TransportLayer;

import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIMatcher;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import java.util.Arrays;
import java.util.List;

/**
 * How tenk speaks TLS, decided once: TLS 1.3 and 1.2 only; the cipher suites of Mozilla's
 * "intermediate" profile that have ECDHE key exchange (AES-GCM and ChaCha20-Poly1305; no CBC, no
 * RSA key exchange, no finite-field DHE), in the server's order of preference below (every one is
 * strong; a server order keeps a client from choosing the weakest it may, and scanners ask for one);
 * ALPN offering {@code http/1.1} only; session resumption by the JDK's session cache and TLS 1.3
 * tickets (its defaults), for the server name the session began with only.
 */
public final class TlsPolicy {
    public static final List<String> PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");
    public static final List<String> CIPHER_SUITES = List.of(
            "TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256", "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256");
    public static final String ALPN_HTTP_1_1 = "http/1.1";
    private static final SNIMatcher ANY_NAME = SNIHostName.createSNIMatcher("(?s).*");

    private TlsPolicy() {}

    /** A server-side engine under this policy. */
    public static SSLEngine serverEngine(SSLContext context) {
        SSLEngine e = context.createSSLEngine();
        e.setUseClientMode(false);
        SSLParameters p = e.getSSLParameters();
        p.setProtocols(supported(PROTOCOLS, e.getSupportedProtocols()));
        p.setCipherSuites(supported(CIPHER_SUITES, e.getSupportedCipherSuites()));
        p.setUseCipherSuitesOrder(true);
        p.setApplicationProtocols(new String[] {ALPN_HTTP_1_1});
        p.setNeedClientAuth(false);
        // accept every name (the key manager picks the certificate); having a matcher makes the JDK
        // record the name, so a session is never resumed under another name than it began with
        p.setSNIMatchers(List.of(ANY_NAME));
        e.setSSLParameters(p);
        return e;
    }

    /** What a TLS listener puts around each accepted connection. */
    public static TransportLayer layer(SSLContext context) {
        return raw -> new TlsTransport(raw, serverEngine(context));
    }

    private static String[] supported(List<String> wanted, String[] available) {
        List<String> have = Arrays.asList(available);
        return wanted.stream().filter(have::contains).toArray(String[]::new);
    }
}
