package io.tenk.tls;

import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;

/**
 * Certificates and keys in PEM files, as web servers take them: a chain ({@code CERTIFICATE}
 * blocks, leaf first) and an unencrypted private key, PKCS#8 ({@code PRIVATE KEY}) or
 * traditional ({@code RSA PRIVATE KEY}, {@code EC PRIVATE KEY}). Problems are
 * {@link TlsSetupException}s with a message for the user.
 */
public final class PemFiles {
    private PemFiles() {}

    /** The certificates of a PEM file, in file order; at least one. */
    public static List<X509Certificate> readChain(Path file) {
        List<X509Certificate> chain = new ArrayList<>();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.US_ASCII); PEMParser p = new PEMParser(r)) {
            JcaX509CertificateConverter conv = new JcaX509CertificateConverter();
            Object o;
            while ((o = p.readObject()) != null) {
                if (o instanceof X509CertificateHolder h) chain.add(conv.getCertificate(h));
            }
        } catch (IOException | CertificateException | RuntimeException e) {
            throw new TlsSetupException(file.getFileName() + ": not a readable PEM certificate file (" + reason(e) + ")");
        }
        if (chain.isEmpty()) throw new TlsSetupException(file.getFileName() + ": no CERTIFICATE block found");
        return chain;
    }

    /** The private key of a PEM file (the first key block). */
    public static PrivateKey readKey(Path file) {
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.US_ASCII); PEMParser p = new PEMParser(r)) {
            JcaPEMKeyConverter conv = new JcaPEMKeyConverter();
            Object o;
            while ((o = p.readObject()) != null) {
                switch (o) {
                    case PrivateKeyInfo info -> { return conv.getPrivateKey(info); }
                    case PEMKeyPair pair -> { return conv.getKeyPair(pair).getPrivate(); }
                    case PEMEncryptedKeyPair e -> throw encrypted(file);
                    case PKCS8EncryptedPrivateKeyInfo e -> throw encrypted(file);
                    default -> { }
                }
            }
        } catch (TlsSetupException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new TlsSetupException(file.getFileName() + ": not a readable PEM key file (" + reason(e) + ")");
        }
        throw new TlsSetupException(file.getFileName() + ": no private key block found (PRIVATE KEY, RSA PRIVATE KEY or EC PRIVATE KEY)");
    }

    /** A key pair from a PEM file that holds the private key (as {@link #readKey}) and a {@code PUBLIC KEY} block. */
    public static KeyPair readKeyPair(Path file) {
        PrivateKey key = readKey(file);
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.US_ASCII); PEMParser p = new PEMParser(r)) {
            Object o;
            while ((o = p.readObject()) != null) {
                if (o instanceof SubjectPublicKeyInfo info) return new KeyPair(new JcaPEMKeyConverter().getPublicKey(info), key);
            }
        } catch (IOException | RuntimeException e) {
            throw new TlsSetupException(file.getFileName() + ": not a readable PEM key file (" + reason(e) + ")");
        }
        throw new TlsSetupException(file.getFileName() + ": no PUBLIC KEY block found");
    }

    /** PEM text of certificates or keys. */
    public static String toPem(Object... objects) throws IOException {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter w = new JcaPEMWriter(out)) {
            for (Object o : objects) w.writeObject(o);
        }
        return out.toString();
    }

    /** Makes {@code dir} (and its parents) if missing, the folder itself readable by its owner only. */
    public static void privateDirectory(Path dir) throws IOException {
        if (Files.isDirectory(dir)) return;
        Files.createDirectories(dir.toAbsolutePath().getParent());
        try {
            Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } catch (UnsupportedOperationException e) {
            Files.createDirectory(dir);
        } catch (FileAlreadyExistsException e) {
            // made meanwhile by another tenk
        }
    }

    /**
     * Writes {@code text} to {@code file} at once (a temporary file, then a rename): readers see
     * the old content or the new, never a part; the file is its owner's only, even briefly.
     */
    public static void writePrivate(Path file, String text) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        try {
            Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException e) {
            Files.createFile(tmp);
        } catch (FileAlreadyExistsException e) {
            throw new IOException("cannot write " + file.getFileName() + ": another tenk is writing it");
        }
        Files.writeString(tmp, text, StandardCharsets.US_ASCII);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static TlsSetupException encrypted(Path file) {
        return new TlsSetupException(file.getFileName() + ": the key is encrypted; give an unencrypted key (openssl pkey -in KEY -out PLAIN)");
    }

    private static String reason(Exception e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
