package io.tenk.tls;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import javax.crypto.KeyAgreement;
import java.math.BigInteger;
import java.security.InvalidKeyException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.security.interfaces.XECPublicKey;
import java.security.spec.NamedParameterSpec;
import java.security.spec.XECPrivateKeySpec;
import java.security.spec.XECPublicKeySpec;
import java.util.HexFormat;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The handshake's key agreement and signatures against RFC 7748's vectors and the JDK's own implementations, and where the JDK's TLS finds them. */
class HandshakeCryptoTest {
    private static final HexFormat HEX = HexFormat.of();

    @BeforeAll static void install() {
        HandshakeCrypto.install();
    }

    @Test void rfc7748DiffieHellmanVector() throws Exception {
        // RFC 7748 §6.1
        byte[] alicePrivate = HEX.parseHex("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a");
        byte[] alicePublic = HEX.parseHex("8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a");
        byte[] bobPrivate = HEX.parseHex("5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb");
        byte[] bobPublic = HEX.parseHex("de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f");
        byte[] shared = HEX.parseHex("4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742");
        assertArrayEquals(shared, agree(HandshakeCrypto.NAME, privateKey(alicePrivate), publicKey(bobPublic)));
        assertArrayEquals(shared, agree(HandshakeCrypto.NAME, privateKey(bobPrivate), publicKey(alicePublic)));
        assertArrayEquals(alicePublic, X25519Spi.encodeU(publicKey(alicePublic).getU()));
    }

    @Test void agreesWithTheJdkBothWays() throws Exception {
        KeyPairGenerator ours = KeyPairGenerator.getInstance("XDH", HandshakeCrypto.NAME);
        ours.initialize(NamedParameterSpec.X25519);
        KeyPairGenerator jdk = KeyPairGenerator.getInstance("XDH", "SunEC");
        jdk.initialize(NamedParameterSpec.X25519);
        for (int i = 0; i < 50; i++) {
            KeyPair a = ours.generateKeyPair(), b = jdk.generateKeyPair();
            byte[] expected = agree("SunEC", b.getPrivate(), a.getPublic());
            assertArrayEquals(expected, agree(HandshakeCrypto.NAME, a.getPrivate(), b.getPublic()), "pair " + i);
            assertArrayEquals(expected, agree("SunEC", a.getPrivate(), b.getPublic()), "pair " + i);
            assertArrayEquals(expected, agree(HandshakeCrypto.NAME, b.getPrivate(), a.getPublic()), "pair " + i);
        }
    }

    @Test void theJdksTlsLookupsFindItForX25519AndTheJdkForX448() throws Exception {
        // what the JDK's TLS key exchange asks for: "XDH", initialised with the group's parameters
        KeyPairGenerator g = KeyPairGenerator.getInstance("XDH");
        g.initialize(NamedParameterSpec.X25519);
        KeyPair x25519 = g.generateKeyPair();
        KeyAgreement ka = KeyAgreement.getInstance("XDH");
        ka.init(x25519.getPrivate());
        assertEquals(HandshakeCrypto.NAME, ka.getProvider().getName());

        KeyPairGenerator g448 = KeyPairGenerator.getInstance("XDH");
        g448.initialize(NamedParameterSpec.X448); // refused here, taken by the JDK's provider
        KeyPair x448 = g448.generateKeyPair();
        KeyAgreement ka448 = KeyAgreement.getInstance("XDH");
        ka448.init(x448.getPrivate());
        assertEquals("SunEC", ka448.getProvider().getName());
        ka448.doPhase(x448.getPublic(), true);
        assertEquals(56, ka448.generateSecret().length);
    }

    @Test void aPeerKeyOfSmallOrderIsRefused() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("XDH", HandshakeCrypto.NAME);
        g.initialize(NamedParameterSpec.X25519);
        KeyAgreement ka = KeyAgreement.getInstance("XDH", HandshakeCrypto.NAME);
        ka.init(g.generateKeyPair().getPrivate());
        // u = 0 and u = 1 are points of small order: every scalar gives the all-zero secret
        assertThrows(InvalidKeyException.class, () -> ka.doPhase(publicKey(new byte[32]), true));
        byte[] one = new byte[32];
        one[0] = 1;
        assertThrows(InvalidKeyException.class, () -> ka.doPhase(publicKey(one), true));
    }

    @Test void p256SignaturesVerifyWithTheJdk() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC", "SunEC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair kp = g.generateKeyPair();
        java.util.Random r = new java.util.Random(7);
        for (int i = 0; i < 50; i++) {
            byte[] message = new byte[r.nextInt(300)];
            r.nextBytes(message);
            Signature signer = Signature.getInstance("SHA256withECDSA", HandshakeCrypto.NAME);
            signer.initSign(kp.getPrivate());
            signer.update(message, 0, message.length / 2);
            signer.update(message, message.length / 2, message.length - message.length / 2);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance("SHA256withECDSA", "SunEC");
            verifier.initVerify(kp.getPublic());
            verifier.update(message);
            assertTrue(verifier.verify(signature), "signature " + i);
            message = message.length == 0 ? new byte[] {1} : message;
            message[0] ^= 1; // another message: the same signature must not verify
            verifier.initVerify(kp.getPublic());
            verifier.update(message);
            assertFalse(verifier.verify(signature), "signature " + i + " of another message");
        }
    }

    @Test void theJdksSignatureLookupsFindItForP256SigningOnly() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC", "SunEC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair p256 = g.generateKeyPair();
        Signature sign = Signature.getInstance("SHA256withECDSA");
        sign.initSign(p256.getPrivate());
        assertEquals(HandshakeCrypto.NAME, sign.getProvider().getName());
        Signature verify = Signature.getInstance("SHA256withECDSA");
        verify.initVerify(p256.getPublic());
        assertEquals("SunEC", verify.getProvider().getName());

        g.initialize(new ECGenParameterSpec("secp384r1"));
        Signature p384 = Signature.getInstance("SHA256withECDSA");
        p384.initSign(g.generateKeyPair().getPrivate());
        assertEquals("SunEC", p384.getProvider().getName());
    }

    private static byte[] agree(String provider, PrivateKey mine, PublicKey theirs) throws Exception {
        KeyAgreement ka = KeyAgreement.getInstance("XDH", provider);
        ka.init(mine);
        ka.doPhase(theirs, true);
        return ka.generateSecret();
    }

    private static PrivateKey privateKey(byte[] scalar) throws Exception {
        return KeyFactory.getInstance("XDH", "SunEC").generatePrivate(new XECPrivateKeySpec(NamedParameterSpec.X25519, scalar));
    }

    private static XECPublicKey publicKey(byte[] u) throws Exception {
        BigInteger value = X25519Spi.decodeU(u);
        return (XECPublicKey) KeyFactory.getInstance("XDH", "SunEC").generatePublic(new XECPublicKeySpec(NamedParameterSpec.X25519, value));
    }
}
