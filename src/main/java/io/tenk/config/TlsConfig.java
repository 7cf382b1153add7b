package io.tenk.config;

import java.nio.file.Path;

/**
 * A site's HTTPS settings: a certificate from files, or one that tenk obtains and renews by ACME.
 *
 * @param cert the certificate chain, PEM, leaf first; null with ACME
 * @param key  the leaf's private key, PEM (PKCS#8, or a traditional RSA or EC key); null with ACME
 * @param hsts whether responses over HTTPS carry {@code Strict-Transport-Security}
 *             (max-age {@link #HSTS_MAX_AGE} seconds): browsers then never try plain HTTP for
 *             the site's names for a year. Off by default: it is hard to take back
 * @param acme the certificate authority to obtain the certificate from, or null for files
 */
public record TlsConfig(Path cert, Path key, boolean hsts, AcmeConfig acme) {
    /** One year, as commonly recommended once a site is known to work over HTTPS. */
    public static final long HSTS_MAX_AGE = 365L * 24 * 3600;

    public TlsConfig {
        if (acme == null && (cert == null || key == null)) throw new IllegalArgumentException("TLS needs a certificate and a key");
        if (acme != null && (cert != null || key != null)) throw new IllegalArgumentException("a certificate by ACME has no files to give");
    }

    /** A certificate from files. */
    public TlsConfig(Path cert, Path key, boolean hsts) {
        this(cert, key, hsts, null);
    }

    /** A certificate that tenk obtains from {@code acme} and renews. */
    public static TlsConfig acme(AcmeConfig acme, boolean hsts) {
        return new TlsConfig(null, null, hsts, java.util.Objects.requireNonNull(acme));
    }

    public TlsConfig withHsts(boolean on) { return new TlsConfig(cert, key, on, acme); }
}
