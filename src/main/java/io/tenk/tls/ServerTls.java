package io.tenk.tls;

import io.tenk.config.Site;
import io.tenk.config.TlsConfig;
import io.tenk.handler.HostTable;

import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;

/**
 * The server's TLS context, made from its sites' certificates: one {@link SSLContext} whose key
 * manager picks each connection's certificate by SNI ({@link SniKeyManager}). Session resumption
 * is the JDK's (its server session cache, and stateless tickets for TLS 1.3).
 */
public final class ServerTls {
    private ServerTls() {}

    /** Whether any site has a certificate. */
    public static boolean any(List<Site> sites) {
        return sites.stream().anyMatch(s -> s.tls() != null);
    }

    /**
     * Reads every site's certificate and key and checks that each key belongs to its certificate.
     *
     * @throws TlsSetupException naming the file at fault
     */
    public static SSLContext context(List<Site> sites) {
        if (!any(sites)) throw new TlsSetupException("an https listener needs a site with a certificate (tls = { cert, key })");
        List<SniKeyManager.Entry> entries = new ArrayList<>();
        for (Site s : sites) entries.add(s.tls() == null ? null : entry(s.tls()));
        HostTable hosts = new HostTable(sites.stream().map(Site::names).toList());
        try {
            SSLContext c = SSLContext.getInstance("TLS");
            c.init(new KeyManager[] {new SniKeyManager(hosts, entries)}, null, null);
            return c;
        } catch (GeneralSecurityException e) {
            throw new TlsSetupException("TLS is not available in this Java runtime: " + e.getMessage());
        }
    }

    private static SniKeyManager.Entry entry(TlsConfig t) {
        List<X509Certificate> chain = PemFiles.readChain(t.cert());
        PrivateKey key = PemFiles.readKey(t.key());
        if (!matches(key, chain.getFirst())) {
            throw new TlsSetupException(t.key().getFileName() + " is not the key of the first certificate in " + t.cert().getFileName());
        }
        return new SniKeyManager.Entry(chain.toArray(X509Certificate[]::new), key);
    }

    /** Whether {@code key} signs what the certificate's public key verifies. */
    static boolean matches(PrivateKey key, X509Certificate cert) {
        String alg = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            default -> null;
        };
        if (alg == null) return key.getAlgorithm().equals(cert.getPublicKey().getAlgorithm());
        try {
            byte[] probe = "tenk key check".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            Signature s = Signature.getInstance(alg);
            s.initSign(key);
            s.update(probe);
            byte[] sig = s.sign();
            Signature v = Signature.getInstance(alg);
            v.initVerify(cert.getPublicKey());
            v.update(probe);
            return v.verify(sig);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }
}
