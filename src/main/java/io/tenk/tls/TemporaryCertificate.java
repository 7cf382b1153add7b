package io.tenk.tls;

import org.bouncycastle.operator.OperatorCreationException;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * A self-signed certificate for a site whose certificate ACME has not obtained yet, so that the
 * HTTPS listener can start (as Caddy does): browsers warn about it, and it is replaced as soon as
 * the real one arrives. Kept in memory only.
 */
final class TemporaryCertificate {
    private static final Duration VALIDITY = Duration.ofDays(7);

    private TemporaryCertificate() {}

    static CertificateSet.Entry entry(List<String> names) {
        KeyPair pair = LocalCa.newKeyPair();
        try {
            return new CertificateSet.Entry(List.of(LocalCa.serverCertificate(new LinkedHashSet<>(names.stream().map(LocalCa::certificateName).toList()), pair,
                    "tenk temporary", null, null, VALIDITY)), pair.getPrivate());
        } catch (GeneralSecurityException | OperatorCreationException | java.io.IOException e) {
            throw new TlsSetupException("cannot make a temporary certificate: " + e.getMessage());
        }
    }
}
