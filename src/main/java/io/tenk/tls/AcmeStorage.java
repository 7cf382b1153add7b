package io.tenk.tls;

import io.tenk.config.AcmeConfig;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * What ACME keeps on disk, per CA (its directory's host and port), in
 * {@code STORAGE/acme/HOST[-PORT]/}: {@code account-key.pem} (the account's private key, then its
 * public key), and per site, in a folder named by
 * its first name, {@code key.pem} and {@code chain.pem} (leaf first). Keys and folders are
 * readable by their owner only; every file is replaced at once (a temporary file, then a
 * rename), so a reader sees the old file or the new one.
 */
final class AcmeStorage {
    static final String ACCOUNT_KEY = "account-key.pem";
    static final String KEY = "key.pem";
    static final String CHAIN = "chain.pem";

    private final Path dir;

    private AcmeStorage(Path dir) { this.dir = dir; }

    /** The storage of {@code c}'s CA: under {@code c.storage()}, else under the user's data folder. */
    static AcmeStorage of(AcmeConfig c) {
        Path base = c.storage() != null ? c.storage() : LocalCa.defaultDir(System.getenv());
        String ca = c.directory().getHost() + (c.directory().getPort() < 0 ? "" : "-" + c.directory().getPort());
        return new AcmeStorage(base.resolve("acme").resolve(safe(ca)));
    }

    /** The folder of the site named {@code names}. */
    Path siteDir(List<String> names) { return dir.resolve(safe(names.getFirst())); }

    /** The account's key pair, made and stored the first time. */
    KeyPair accountKey() throws IOException {
        Path file = dir.resolve(ACCOUNT_KEY);
        if (Files.exists(file)) return PemFiles.readKeyPair(file);
        KeyPair pair = LocalCa.newKeyPair();
        PemFiles.privateDirectory(dir);
        PemFiles.writePrivate(file, PemFiles.toPem(new JcaPKCS8Generator(pair.getPrivate(), null), pair.getPublic()));
        return pair;
    }

    /**
     * The certificate stored for the site named {@code names}, if it is readable, its key is
     * its own, it covers every name, and it has not expired; else null.
     */
    CertificateSet.Entry stored(List<String> names) {
        Path site = siteDir(names);
        try {
            if (!Files.exists(site.resolve(CHAIN)) || !Files.exists(site.resolve(KEY))) return null;
            List<X509Certificate> chain = PemFiles.readChain(site.resolve(CHAIN));
            PrivateKey key = PemFiles.readKey(site.resolve(KEY));
            X509Certificate leaf = chain.getFirst();
            leaf.checkValidity(Date.from(Instant.now()));
            if (!covers(leaf, names) || !ServerTls.matches(key, leaf)) return null;
            return new CertificateSet.Entry(chain, key);
        } catch (TlsSetupException | java.security.cert.CertificateException e) {
            return null;
        }
    }

    /** Stores the key and chain of the site named {@code names} (the key first: a chain is never without its key). */
    void save(List<String> names, KeyPair key, List<X509Certificate> chain) throws IOException {
        Path site = siteDir(names);
        PemFiles.privateDirectory(dir);
        PemFiles.privateDirectory(site);
        PemFiles.writePrivate(site.resolve(KEY), PemFiles.toPem(new JcaPKCS8Generator(key.getPrivate(), null)));
        PemFiles.writePrivate(site.resolve(CHAIN), PemFiles.toPem(chain.toArray()));
    }

    /** Whether {@code leaf}'s subject alternative names include every one of {@code names}. */
    private static boolean covers(X509Certificate leaf, List<String> names) throws CertificateParsingException {
        Set<String> has = new HashSet<>();
        if (leaf.getSubjectAlternativeNames() == null) return false;
        for (List<?> n : leaf.getSubjectAlternativeNames()) has.add(String.valueOf(n.get(1)).toLowerCase(Locale.ROOT));
        List<String> wanted = new ArrayList<>();
        for (String n : names) wanted.add(LocalCa.certificateName(n).toLowerCase(Locale.ROOT));
        return has.containsAll(wanted);
    }

    /** A name as a file name: letters, digits, dots and dashes kept, anything else an underscore. */
    private static String safe(String name) {
        String s = name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9.-]", "_");
        return s.startsWith(".") ? "_" + s : s;
    }
}
