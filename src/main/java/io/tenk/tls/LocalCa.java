package io.tenk.tls;

import io.tenk.config.TlsConfig;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A certificate authority for local development, as mkcert and Caddy's {@code tls internal}
 * make: created once in the user's data folder ({@code $XDG_DATA_HOME/tenk}, else
 * {@code ~/.local/share/tenk}; the key readable by its owner only), trusted by the user
 * ({@code tenk ca} says how), and issuing a certificate for {@code localhost}, {@code 127.0.0.1},
 * {@code ::1} and the sites' names each time the server starts with {@code --https}.
 * Keys are ECDSA P-256.
 */
public final class LocalCa {
    public static final String CA_CERT = "ca.pem";
    public static final String CA_KEY = "ca-key.pem";
    public static final String LEAF_CERT = "localhost.pem";
    public static final String LEAF_KEY = "localhost-key.pem";
    public static final List<String> LOCAL_NAMES = List.of("localhost", "127.0.0.1", "::1");
    private static final Duration CA_VALIDITY = Duration.ofDays(3650);
    /** Browsers refuse server certificates valid longer than 398 days. */
    private static final Duration LEAF_VALIDITY = Duration.ofDays(397);

    private final Path dir;
    private final X509Certificate cert;
    private final PrivateKey key;

    private LocalCa(Path dir, X509Certificate cert, PrivateKey key) {
        this.dir = dir;
        this.cert = cert;
        this.key = key;
    }

    /** The data folder: {@code $XDG_DATA_HOME/tenk}, else {@code ~/.local/share/tenk}. */
    public static Path defaultDir(Map<String, String> env) {
        String xdg = env.get("XDG_DATA_HOME");
        if (xdg != null && !xdg.isBlank() && Path.of(xdg).isAbsolute()) return Path.of(xdg, "tenk");
        String home = env.getOrDefault("HOME", System.getProperty("user.home"));
        return Path.of(home, ".local", "share", "tenk");
    }

    /** The CA certificate's file in {@code dir} (whether or not it exists yet). */
    public static Path certFile(Path dir) { return dir.resolve(CA_CERT); }

    /** The CA kept in {@code dir}, made there first if there is none. */
    public static LocalCa loadOrCreate(Path dir) throws IOException {
        Path certFile = dir.resolve(CA_CERT);
        Path keyFile = dir.resolve(CA_KEY);
        if (Files.exists(certFile) && Files.exists(keyFile)) {
            return new LocalCa(dir, PemFiles.readChain(certFile).getFirst(), PemFiles.readKey(keyFile));
        }
        PemFiles.privateDirectory(dir);
        KeyPair pair = newKeyPair();
        X500Name name = new X500Name("CN=tenk local development CA,O=tenk");
        try {
            Instant now = Instant.now();
            X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(name, serial(), Date.from(now.minus(Duration.ofHours(1))),
                    Date.from(now.plus(CA_VALIDITY)), name, pair.getPublic());
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
            b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            b.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(pair.getPublic()));
            X509Certificate cert = sign(b, pair.getPrivate());
            PemFiles.writePrivate(keyFile, PemFiles.toPem(new JcaPKCS8Generator(pair.getPrivate(), null)));
            PemFiles.writePrivate(certFile, PemFiles.toPem(cert));
            return new LocalCa(dir, cert, pair.getPrivate());
        } catch (GeneralSecurityException | OperatorCreationException e) {
            throw new IOException("cannot make the local CA: " + e.getMessage(), e);
        }
    }

    public Path certFile() { return dir.resolve(CA_CERT); }

    public X509Certificate certificate() { return cert; }

    /**
     * Issues a server certificate for the local names and {@code siteNames} (a site's {@code *}
     * is skipped; {@code *.example.test} is kept as a wildcard), writes it and its key into the
     * data folder, and returns them as a site's TLS settings.
     */
    public TlsConfig issue(List<String> siteNames) throws IOException {
        return issue(siteNames, dir.resolve(LEAF_CERT), dir.resolve(LEAF_KEY));
    }

    /**
     * As {@link #issue(List)}, into the given files (the chain: the certificate, then the CA's).
     * A certificate already there that this CA issued, for these names, valid for another month,
     * is kept (so processes started together, such as prefork's workers, share one).
     */
    public TlsConfig issue(List<String> siteNames, Path certFile, Path keyFile) throws IOException {
        Set<String> names = new LinkedHashSet<>(LOCAL_NAMES);
        for (String n : siteNames) {
            if (n.equals("*")) continue;
            names.add(certificateName(n));
        }
        if (reusable(certFile, keyFile, names)) return new TlsConfig(certFile, keyFile, false);
        KeyPair pair = newKeyPair();
        try {
            X509Certificate leaf = serverCertificate(names, pair, "tenk development", cert, key, LEAF_VALIDITY);
            PemFiles.writePrivate(keyFile, PemFiles.toPem(new JcaPKCS8Generator(pair.getPrivate(), null)));
            PemFiles.writePrivate(certFile, PemFiles.toPem(leaf, cert));
            return new TlsConfig(certFile, keyFile, false);
        } catch (GeneralSecurityException | OperatorCreationException e) {
            throw new IOException("cannot issue a development certificate: " + e.getMessage(), e);
        }
    }

    /**
     * A server certificate for {@code names} (the first is its common name) and {@code pair}'s
     * public key, from an hour ago for {@code validity}, issued by {@code issuer} with
     * {@code signer}, or self-signed with the pair's key when {@code issuer} is null.
     */
    static X509Certificate serverCertificate(Set<String> names, KeyPair pair, String organisation, X509Certificate issuer,
                                             PrivateKey signer, Duration validity) throws GeneralSecurityException, OperatorCreationException, IOException {
        List<GeneralName> alt = new ArrayList<>();
        for (String n : names) alt.add(new GeneralName(isIp(n) ? GeneralName.iPAddress : GeneralName.dNSName, n));
        Instant now = Instant.now();
        X500Name subject = new X500Name("CN=" + names.iterator().next() + ",O=" + organisation);
        Date from = Date.from(now.minus(Duration.ofHours(1)));
        Date until = Date.from(now.plus(validity));
        X509v3CertificateBuilder b = issuer == null
                ? new JcaX509v3CertificateBuilder(subject, serial(), from, until, subject, pair.getPublic())
                : new JcaX509v3CertificateBuilder(issuer, serial(), from, until, subject, pair.getPublic());
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
        b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
        b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
        b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(alt.toArray(GeneralName[]::new)));
        if (issuer != null) b.addExtension(Extension.authorityKeyIdentifier, false, new JcaX509ExtensionUtils().createAuthorityKeyIdentifier(issuer));
        return sign(b, issuer == null ? pair.getPrivate() : signer);
    }

    private boolean reusable(Path certFile, Path keyFile, Set<String> names) {
        if (!Files.exists(certFile) || !Files.exists(keyFile)) return false;
        try {
            X509Certificate leaf = PemFiles.readChain(certFile).getFirst();
            leaf.verify(cert.getPublicKey());
            leaf.checkValidity(Date.from(Instant.now().plus(Duration.ofDays(30))));
            Set<String> has = new java.util.HashSet<>();
            for (List<?> n : leaf.getSubjectAlternativeNames()) has.add(canonical(String.valueOf(n.get(1))));
            return names.stream().map(LocalCa::canonical).allMatch(has::contains)
                    && ServerTls.matches(PemFiles.readKey(keyFile), leaf);
        } catch (GeneralSecurityException | RuntimeException e) {
            return false;
        }
    }

    /** A site's name as a certificate holds it: an IPv6 address without its brackets. */
    static String certificateName(String siteName) {
        return siteName.startsWith("[") && siteName.endsWith("]") ? siteName.substring(1, siteName.length() - 1) : siteName;
    }

    static boolean isIp(String name) {
        return name.indexOf(':') >= 0 || name.chars().allMatch(c -> c == '.' || Character.isDigit(c));
    }

    /** A name as a certificate lists it: an IP address in the JDK's one spelling, a host name in lower case. */
    private static String canonical(String name) {
        return isIp(name) ? java.net.InetAddress.ofLiteral(name).getHostAddress() : name.toLowerCase(java.util.Locale.ROOT);
    }

    static KeyPair newKeyPair() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"));
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("no EC key generator in this Java runtime", e);
        }
    }

    private static X509Certificate sign(X509v3CertificateBuilder b, PrivateKey signer) throws OperatorCreationException,
            GeneralSecurityException {
        return new JcaX509CertificateConverter().getCertificate(b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(signer)));
    }

    private static BigInteger serial() {
        return new BigInteger(128, new SecureRandom()).setBit(127);
    }
}
