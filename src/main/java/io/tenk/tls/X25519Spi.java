package io.tenk.tls;

import org.bouncycastle.math.ec.rfc7748.X25519;

import javax.crypto.KeyAgreementSpi;
import javax.crypto.SecretKey;
import javax.crypto.ShortBufferException;
import javax.crypto.spec.SecretKeySpec;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.InvalidAlgorithmParameterException;
import java.security.InvalidKeyException;
import java.security.InvalidParameterException;
import java.security.Key;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGeneratorSpi;
import java.security.ProviderException;
import java.security.SecureRandom;
import java.security.interfaces.XECKey;
import java.security.interfaces.XECPrivateKey;
import java.security.interfaces.XECPublicKey;
import java.security.spec.AlgorithmParameterSpec;
import java.security.spec.NamedParameterSpec;
import java.security.spec.XECPrivateKeySpec;
import java.security.spec.XECPublicKeySpec;
import java.util.Arrays;

/**
 * X25519 (RFC 7748) key pairs and key agreement by Bouncy Castle's constant-time implementation,
 * for {@link HandshakeCrypto}. The keys are the JDK's own ({@link XECPublicKey},
 * {@link XECPrivateKey}, made by SunEC's key factory, which only wraps the bytes), so whatever
 * provider a later step picks understands them. Any other curve (X448) is refused, and the JDK's
 * provider, next in line, takes it.
 */
final class X25519Spi {
    private static final int KEY_BYTES = 32;

    private X25519Spi() {}

    /** Whether {@code key} is a key of X25519 (and not X448, or an unnamed curve). */
    static boolean isX25519(Key key) {
        return key instanceof XECKey x && x.getParams() instanceof NamedParameterSpec n
                && n.getName().equalsIgnoreCase(NamedParameterSpec.X25519.getName());
    }

    private static boolean isX25519(AlgorithmParameterSpec spec) {
        return spec instanceof NamedParameterSpec n && n.getName().equalsIgnoreCase(NamedParameterSpec.X25519.getName());
    }

    /** The 32-byte little-endian encoding of a u-coordinate (RFC 7748 §5). */
    static byte[] encodeU(BigInteger u) {
        byte[] be = u.toByteArray();
        byte[] le = new byte[KEY_BYTES];
        for (int i = 0; i < le.length && i < be.length; i++) le[i] = be[be.length - 1 - i];
        return le;
    }

    static BigInteger decodeU(byte[] le) {
        byte[] be = new byte[le.length + 1]; // a leading zero: never negative
        for (int i = 0; i < le.length; i++) be[be.length - 1 - i] = le[i];
        be[1] &= 0x7F; // the most significant bit of the last byte is ignored (RFC 7748 §5)
        return new BigInteger(be);
    }

    /** Key pairs of X25519, as the JDK's key classes. */
    public static final class Generator extends KeyPairGeneratorSpi {
        private SecureRandom random;

        @Override public void initialize(int keysize, SecureRandom random) {
            if (keysize != 255) throw new InvalidParameterException("X25519 keys are 255 bits");
            this.random = random;
        }

        @Override public void initialize(AlgorithmParameterSpec params, SecureRandom random) throws InvalidAlgorithmParameterException {
            if (!isX25519(params)) throw new InvalidAlgorithmParameterException("only X25519 here");
            this.random = random;
        }

        @Override public KeyPair generateKeyPair() {
            SecureRandom r = random != null ? random : HandshakeCrypto.RANDOM;
            byte[] k = new byte[KEY_BYTES];
            byte[] u = new byte[KEY_BYTES];
            X25519.generatePrivateKey(r, k);
            X25519.generatePublicKey(k, 0, u, 0);
            try {
                // SunEC's factory only wraps the bytes: no arithmetic
                KeyFactory f = KeyFactory.getInstance("XDH", "SunEC");
                return new KeyPair(f.generatePublic(new XECPublicKeySpec(NamedParameterSpec.X25519, decodeU(u))),
                        f.generatePrivate(new XECPrivateKeySpec(NamedParameterSpec.X25519, k)));
            } catch (GeneralSecurityException e) {
                throw new ProviderException("the JDK's XDH key factory is not available", e);
            } finally {
                Arrays.fill(k, (byte) 0);
            }
        }
    }

    /** The shared secret of an X25519 private key and a peer's public key. */
    public static final class Agreement extends KeyAgreementSpi {
        private byte[] scalar;
        private byte[] secret;

        @Override protected void engineInit(Key key, SecureRandom random) throws InvalidKeyException {
            if (!isX25519(key) || !(key instanceof XECPrivateKey p) || p.getScalar().isEmpty()) {
                throw new InvalidKeyException("only X25519 private keys here");
            }
            byte[] k = p.getScalar().get();
            if (k.length != KEY_BYTES) throw new InvalidKeyException("an X25519 private key has 32 bytes");
            scalar = k;
            secret = null;
        }

        @Override protected void engineInit(Key key, AlgorithmParameterSpec params, SecureRandom random)
                throws InvalidKeyException, InvalidAlgorithmParameterException {
            if (params != null && !isX25519(params)) throw new InvalidAlgorithmParameterException("only X25519 here");
            engineInit(key, random);
        }

        @Override protected Key engineDoPhase(Key key, boolean lastPhase) throws InvalidKeyException {
            if (scalar == null) throw new IllegalStateException("not initialised");
            if (!lastPhase) throw new IllegalStateException("X25519 has one phase");
            if (!isX25519(key) || !(key instanceof XECPublicKey pub)) throw new InvalidKeyException("only X25519 public keys here");
            BigInteger u = pub.getU();
            if (u.signum() < 0 || u.bitLength() > 256) throw new InvalidKeyException("not an X25519 u-coordinate");
            byte[] s = new byte[KEY_BYTES];
            if (!X25519.calculateAgreement(scalar, 0, encodeU(u), 0, s, 0)) {
                throw new InvalidKeyException("the peer's key has small order"); // the secret would be all zeros
            }
            secret = s;
            return null;
        }

        @Override protected byte[] engineGenerateSecret() { return take(); }

        @Override protected int engineGenerateSecret(byte[] out, int offset) throws ShortBufferException {
            if (out.length - offset < KEY_BYTES) throw new ShortBufferException("32 bytes needed");
            byte[] s = take();
            System.arraycopy(s, 0, out, offset, KEY_BYTES);
            Arrays.fill(s, (byte) 0);
            return KEY_BYTES;
        }

        @Override protected SecretKey engineGenerateSecret(String algorithm) {
            byte[] s = take();
            try {
                return new SecretKeySpec(s, algorithm);
            } finally {
                Arrays.fill(s, (byte) 0);
            }
        }

        /** The secret, once: the next one needs another doPhase (as the JDK's XDH). */
        private byte[] take() {
            if (secret == null) throw new IllegalStateException("no secret: doPhase first");
            byte[] s = secret;
            secret = null;
            return s;
        }
    }
}
