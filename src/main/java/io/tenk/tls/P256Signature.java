package io.tenk.tls;

import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.params.ParametersWithRandom;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.crypto.signers.StandardDSAEncoding;

import java.io.IOException;
import java.math.BigInteger;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.ProviderException;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.SignatureException;
import java.security.SignatureSpi;
import java.security.interfaces.ECPrivateKey;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;

/**
 * SHA256withECDSA signatures with P-256 keys by Bouncy Castle (its curve-specific field arithmetic
 * and fixed-point multiplication), for {@link HandshakeCrypto}: what a TLS handshake with an ECDSA
 * P-256 certificate signs. Signing only: verification, and any other curve, are refused here and
 * taken by the JDK's provider, next in line. A signature is the DER sequence of r and s, with a
 * random nonce per signature, as the JDK's.
 */
public final class P256Signature extends SignatureSpi {
    private static final X9ECParameters CURVE = CustomNamedCurves.getByName("secp256r1");
    private static final ECDomainParameters DOMAIN = new ECDomainParameters(CURVE.getCurve(), CURVE.getG(), CURVE.getN(), CURVE.getH());

    // P-256's generator and coefficients as the JDK's key parameters carry them, converted once
    private static final BigInteger GX = CURVE.getG().getAffineXCoord().toBigInteger();
    private static final BigInteger GY = CURVE.getG().getAffineYCoord().toBigInteger();
    private static final BigInteger A = CURVE.getCurve().getA().toBigInteger();
    private static final BigInteger B = CURVE.getCurve().getB().toBigInteger();

    private final MessageDigest digest;
    private ECPrivateKeyParameters key;
    private SecureRandom random;

    public P256Signature() {
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new ProviderException("SHA-256 is not available", e);
        }
    }

    /** Whether {@code params} are P-256's (secp256r1), whatever names the key's provider gives them. */
    static boolean isP256(ECParameterSpec params) {
        if (params == null || params.getCofactor() != 1 || !params.getOrder().equals(CURVE.getN())) return false;
        ECPoint g = params.getGenerator();
        return g.getAffineX().equals(GX) && g.getAffineY().equals(GY)
                && params.getCurve().getA().equals(A) && params.getCurve().getB().equals(B);
    }

    @Override protected void engineInitSign(PrivateKey privateKey) throws InvalidKeyException {
        engineInitSign(privateKey, null);
    }

    @Override protected void engineInitSign(PrivateKey privateKey, SecureRandom r) throws InvalidKeyException {
        if (!(privateKey instanceof ECPrivateKey k) || !isP256(k.getParams())) throw new InvalidKeyException("only P-256 private keys here");
        BigInteger s = k.getS(); // null for a key that stays in a token
        if (s == null || s.signum() <= 0 || s.compareTo(CURVE.getN()) >= 0) throw new InvalidKeyException("not a P-256 private key");
        key = new ECPrivateKeyParameters(s, DOMAIN);
        random = r != null ? r : HandshakeCrypto.RANDOM;
        digest.reset();
    }

    @Override protected void engineInitVerify(PublicKey publicKey) throws InvalidKeyException {
        throw new InvalidKeyException("signing only: the JDK verifies");
    }

    @Override protected void engineUpdate(byte b) { digest.update(b); }

    @Override protected void engineUpdate(byte[] b, int off, int len) { digest.update(b, off, len); }

    @Override protected byte[] engineSign() throws SignatureException {
        if (key == null) throw new SignatureException("not initialised for signing");
        ECDSASigner signer = new ECDSASigner();
        signer.init(true, new ParametersWithRandom(key, random));
        BigInteger[] rs = signer.generateSignature(digest.digest());
        try {
            return StandardDSAEncoding.INSTANCE.encode(CURVE.getN(), rs[0], rs[1]);
        } catch (IOException e) {
            throw new SignatureException("cannot encode the signature", e);
        }
    }

    @Override protected boolean engineVerify(byte[] sigBytes) throws SignatureException {
        throw new SignatureException("signing only");
    }

    @Override @Deprecated protected void engineSetParameter(String param, Object value) {
        throw new UnsupportedOperationException("no parameters");
    }

    @Override @Deprecated protected Object engineGetParameter(String param) {
        throw new UnsupportedOperationException("no parameters");
    }
}
