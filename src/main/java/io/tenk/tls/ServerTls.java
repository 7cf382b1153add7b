package io.tenk.tls;

import io.tenk.config.Site;
import io.tenk.config.TlsConfig;
import io.tenk.handler.HostTable;
import io.tenk.observe.ErrorLog;

import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The server's TLS context, made from its sites' certificates: one {@link SSLContext} whose key
 * manager picks each connection's certificate by SNI ({@link SniKeyManager}). Session resumption
 * is the JDK's (its server session cache, and stateless tickets for TLS 1.3).
 *
 * <p>Certificates change while the server runs: {@link #reload} reads the files again (SIGHUP),
 * and ACME installs what it obtains ({@link #install}). A site whose files no longer load keeps
 * the certificate it has. Until ACME has a site's first certificate, the site has a temporary
 * self-signed one, so that its listeners can start.
 */
public final class ServerTls {
    private final List<Site> sites;
    private final SniKeyManager keys;
    private final SSLContext context;
    private final ErrorLog log;

    private ServerTls(List<Site> sites, SniKeyManager keys, SSLContext context, ErrorLog log) {
        this.sites = sites;
        this.keys = keys;
        this.context = context;
        this.log = log;
    }

    /** Whether any site has a certificate. */
    public static boolean any(List<Site> sites) {
        return sites.stream().anyMatch(s -> s.tls() != null);
    }

    /**
     * Reads every site's certificate and key and checks that each key belongs to its certificate;
     * an ACME site gets its stored certificate if it is still valid, else a temporary one.
     *
     * @param log where a key file readable by others is warned about
     * @throws TlsSetupException naming the file at fault
     */
    public static ServerTls start(List<Site> sites, ErrorLog log) {
        if (!any(sites)) throw new TlsSetupException("an https listener needs a site with a certificate (tls = { cert, key })");
        List<CertificateSet.Entry> entries = new ArrayList<>();
        for (Site s : sites) {
            TlsConfig t = s.tls();
            entries.add(t == null ? null : t.acme() == null ? read(t, log) : byAcme(s));
        }
        HostTable hosts = new HostTable(sites.stream().map(Site::names).toList());
        SniKeyManager keys = new SniKeyManager(new CertificateSet(hosts, entries));
        HandshakeCrypto.install(); // a full handshake's key exchange and signature, at less than half the JDK's cost
        try {
            SSLContext c = SSLContext.getInstance("TLS");
            c.init(new KeyManager[] {keys}, null, null);
            return new ServerTls(List.copyOf(sites), keys, c, log);
        } catch (GeneralSecurityException e) {
            throw new TlsSetupException("TLS is not available in this Java runtime: " + e.getMessage());
        }
    }

    public SSLContext context() { return context; }

    /** The sites, in the order {@link #install} and {@link #certificate} number them. */
    List<Site> sites() { return sites; }

    /**
     * Reads every site's certificate and key files again (SIGHUP); new handshakes get the new
     * ones. A site whose files do not load, or whose key is not its certificate's, keeps the one
     * it has, with one error line naming the file.
     */
    public void reload() {
        for (int i = 0; i < sites.size(); i++) {
            TlsConfig t = sites.get(i).tls();
            if (t == null || t.acme() != null) continue;
            try {
                CertificateSet.Entry e = read(t, log);
                int site = i;
                keys.update(set -> set.with(site, e));
            } catch (TlsSetupException e) {
                log.error("certificate of " + String.join(", ", sites.get(i).names()) + " not reloaded, keeping the one in use", e);
            }
        }
    }

    /** Site {@code site} now offers {@code chain} (leaf first) with {@code key}, from the next handshake on. */
    void install(int site, List<X509Certificate> chain, PrivateKey key) {
        CertificateSet.Entry e = new CertificateSet.Entry(chain, key);
        keys.update(set -> set.with(site, e));
    }

    /** The leaf certificate site {@code site} offers now, or null. */
    X509Certificate certificate(int site) {
        CertificateSet.Entry e = keys.current().site(site);
        return e == null ? null : e.leaf();
    }

    /** An ACME site's certificate at start: the one stored, if still valid, else a temporary one. */
    private static CertificateSet.Entry byAcme(Site s) {
        CertificateSet.Entry stored = AcmeStorage.of(s.tls().acme()).stored(s.names());
        return stored != null ? stored : TemporaryCertificate.entry(s.names());
    }

    private static CertificateSet.Entry read(TlsConfig t, ErrorLog log) {
        List<X509Certificate> chain = PemFiles.readChain(t.cert());
        PrivateKey key = PemFiles.readKey(t.key());
        if (!matches(key, chain.getFirst())) {
            throw new TlsSetupException(t.key().getFileName() + " is not the key of the first certificate in " + t.cert().getFileName());
        }
        if (sharedWithOthers(t.key())) log.warn(t.key() + ": the private key is readable by other users (chmod 600 it)");
        return new CertificateSet.Entry(chain, key);
    }

    /** Whether users other than the owner may read {@code file} (false where permissions are not POSIX). */
    private static boolean sharedWithOthers(Path file) {
        try {
            Set<PosixFilePermission> p = Files.getPosixFilePermissions(file);
            return p.contains(PosixFilePermission.GROUP_READ) || p.contains(PosixFilePermission.OTHERS_READ);
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
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
