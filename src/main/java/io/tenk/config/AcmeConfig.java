package io.tenk.config;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Where the certificates of the sites with {@code tls = "acme"} come from (RFC 8555, HTTP-01).
 *
 * @param directory the CA's directory URL (https)
 * @param email     the contact for the account (expiry notices), or null
 * @param storage   the folder of the account key, the sites' keys and certificates; null for
 *                  the user's data folder ({@code $XDG_DATA_HOME/tenk}, else {@code ~/.local/share/tenk})
 * @param ca        a PEM file of the CA certificates to trust for the directory's HTTPS (a test
 *                  CA such as Pebble's); null for the Java runtime's trust store
 * @param retry     the wait after a first failure; it doubles with each failure up to {@link #MAX_RETRY}
 */
public record AcmeConfig(URI directory, String email, Path storage, Path ca, Duration retry) {
    /** Let's Encrypt's production directory. */
    public static final URI LETS_ENCRYPT = URI.create("https://acme-v02.api.letsencrypt.org/directory");
    public static final Duration DEFAULT_RETRY = Duration.ofMinutes(1);
    public static final Duration MAX_RETRY = Duration.ofDays(1);
    /** A certificate is renewed once less than this part of its lifetime is left. */
    public static final double RENEW_WHEN_LEFT = 1.0 / 3;

    public AcmeConfig {
        if (directory == null || !"https".equals(directory.getScheme()) || directory.getHost() == null) {
            throw new IllegalArgumentException("the ACME directory must be an https:// URL");
        }
        if (retry == null || retry.isNegative() || retry.isZero()) throw new IllegalArgumentException("the retry wait must be positive");
    }

    /** Let's Encrypt, no contact, the data folder, the runtime's trust, a minute's first retry. */
    public static AcmeConfig defaults() {
        return new AcmeConfig(LETS_ENCRYPT, null, null, null, DEFAULT_RETRY);
    }

    /**
     * Why ACME cannot get a certificate for these names, or null if it can: HTTP-01 proves
     * control of exact names only; a wildcard ({@code *.example.com}, or the default site's
     * {@code *}) needs DNS-01.
     */
    public static String namesProblem(List<String> names) {
        for (String n : names) {
            if (n.startsWith("*")) {
                return "'" + n + "' is a wildcard: ACME by HTTP-01 gives certificates for exact names only"
                        + " (a wildcard needs DNS-01); list exact names or give cert and key files";
            }
        }
        return null;
    }
}
