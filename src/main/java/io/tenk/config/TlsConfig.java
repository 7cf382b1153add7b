package io.tenk.config;

import java.nio.file.Path;

/**
 * A site's HTTPS settings.
 *
 * @param cert the certificate chain, PEM, leaf first
 * @param key  the leaf's private key, PEM (PKCS#8, or a traditional RSA or EC key)
 * @param hsts whether responses over HTTPS carry {@code Strict-Transport-Security}
 *             (max-age {@link #HSTS_MAX_AGE} seconds): browsers then never try plain HTTP for
 *             the site's names for a year. Off by default: it is hard to take back
 */
public record TlsConfig(Path cert, Path key, boolean hsts) {
    /** One year, as commonly recommended once a site is known to work over HTTPS. */
    public static final long HSTS_MAX_AGE = 365L * 24 * 3600;

    public TlsConfig {
        if (cert == null || key == null) throw new IllegalArgumentException("TLS needs a certificate and a key");
    }

    public TlsConfig withHsts(boolean on) { return new TlsConfig(cert, key, on); }
}
