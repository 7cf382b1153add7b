package io.tenk.tls;

import java.security.Provider;
import java.security.SecureRandom;
import java.security.Security;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The two public-key operations of a full TLS handshake, by Bouncy Castle, offered to the JDK's TLS
 * stack as a security provider placed first in the JVM's list: X25519 key agreement (the group
 * browsers and curl offer first; {@link X25519Spi}) and ECDSA P-256 signatures (what an EC
 * certificate signs the handshake with; {@link P256Signature}). On a 2 vCPU AMD EPYC without
 * AVX-512, the JDK's own take 355 µs for an X25519 key pair and agreement and 256 µs for a
 * signature, Bouncy Castle's 145 and 113: most of what a new HTTPS connection costs tenk beyond
 * what it costs nginx. Everything else (other groups and curves, verification, RSA, ciphers and
 * hashes) stays with the JDK's providers: these services refuse what they do not do, and the
 * JDK's lookups then take the next provider.
 */
public final class HandshakeCrypto extends Provider {
    public static final String NAME = "tenk-handshake";
    /** Where the engines draw their randomness when the caller gives none (thread-safe, shared). */
    static final SecureRandom RANDOM = new SecureRandom();

    private HandshakeCrypto() {
        super(NAME, "1.0", "X25519 key agreement and P-256 ECDSA signing by Bouncy Castle");
        Map<String, String> xec = Map.of("SupportedKeyClasses",
                "java.security.interfaces.XECPublicKey|java.security.interfaces.XECPrivateKey");
        for (String name : List.of("XDH", "X25519")) {
            List<String> aliases = name.equals("X25519") ? List.of("OID.1.3.101.110", "1.3.101.110") : List.of();
            putService(new Made(this, "KeyPairGenerator", name, aliases, xec, X25519Spi.Generator.class, X25519Spi.Generator::new));
            putService(new Made(this, "KeyAgreement", name, aliases, xec, X25519Spi.Agreement.class, X25519Spi.Agreement::new));
        }
        putService(new Made(this, "Signature", "SHA256withECDSA", List.of("OID.1.2.840.10045.4.3.2", "1.2.840.10045.4.3.2"),
                Map.of("SupportedKeyClasses", "java.security.interfaces.ECPrivateKey"), P256Signature.class, P256Signature::new));
    }

    /** Puts the provider first in this JVM's list, once; later calls do nothing. */
    public static synchronized void install() {
        if (Security.getProvider(NAME) == null) Security.insertProviderAt(new HandshakeCrypto(), 1);
    }

    /** A service whose engine is made by a constructor reference, not by reflection on a class name. */
    private static final class Made extends Service {
        private final Supplier<Object> make;

        Made(Provider p, String type, String algorithm, List<String> aliases, Map<String, String> attributes,
             Class<?> engine, Supplier<Object> make) {
            super(p, type, algorithm, engine.getName(), aliases, attributes);
            this.make = make;
        }

        @Override public Object newInstance(Object constructorParameter) {
            return make.get();
        }
    }
}
