package io.tenk.tls;

import io.tenk.config.ServerConfig;
import io.tenk.config.Site;
import io.tenk.config.TlsConfig;
import io.tenk.observe.ErrorLog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Keys and certificates as openssl writes them: every PEM key format a web server is given. */
class PemFilesTest {
    private static final ErrorLog QUIET = new ErrorLog(new java.io.PrintStream(java.io.OutputStream.nullOutputStream()), false);

    @TempDir Path dir;

    static void openssl(Path dir, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("openssl"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        String said = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), said);
    }

    /** A key in the given format and a self-signed certificate for it. */
    static TlsConfig selfSigned(Path dir, String keyCommand) throws Exception {
        openssl(dir, keyCommand.split(" "));
        openssl(dir, "req", "-x509", "-key", "key.pem", "-subj", "/CN=localhost", "-days", "2", "-out", "cert.pem");
        return new TlsConfig(dir.resolve("cert.pem"), dir.resolve("key.pem"), false);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out key.pem | -----BEGIN PRIVATE KEY-----     | RSA",
            "genrsa -traditional -out key.pem 2048                             | -----BEGIN RSA PRIVATE KEY----- | RSA",
            "ecparam -name prime256v1 -genkey -noout -out key.pem                | -----BEGIN EC PRIVATE KEY-----  | EC",
            "genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-384 -out key.pem | -----BEGIN PRIVATE KEY-----     | EC"})
    void readsEveryKeyFormat(String keyCommand, String header, String algorithm) throws Exception {
        TlsConfig t = selfSigned(dir, keyCommand);
        assertTrue(Files.readString(t.key()).startsWith(header), Files.readString(t.key()));
        PrivateKey key = PemFiles.readKey(t.key());
        assertEquals(algorithm, key.getAlgorithm());
        assertTrue(ServerTls.matches(key, PemFiles.readChain(t.cert()).getFirst()));
        assertNotNull(ServerTls.start(List.of(Site.serving(dir).withTls(t)), QUIET).context());
    }

    @Test void aKeyOfAnotherCertificateIsRefusedByName() throws Exception {
        TlsConfig t = selfSigned(dir, "ecparam -name prime256v1 -genkey -noout -out key.pem");
        openssl(dir, "ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", "other.pem");
        TlsConfig wrong = new TlsConfig(t.cert(), dir.resolve("other.pem"), false);
        var e = assertThrows(TlsSetupException.class, () -> ServerTls.start(List.of(Site.serving(dir).withTls(wrong)), QUIET));
        assertEquals("other.pem is not the key of the first certificate in cert.pem", e.getMessage());
    }

    @Test void encryptedMissingAndWrongFilesSaySo() throws Exception {
        openssl(dir, "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-aes256", "-pass", "pass:x", "-out", "enc.pem");
        var enc = assertThrows(TlsSetupException.class, () -> PemFiles.readKey(dir.resolve("enc.pem")));
        assertTrue(enc.getMessage().startsWith("enc.pem: the key is encrypted"), enc.getMessage());
        Files.writeString(dir.resolve("empty.pem"), "nothing here\n");
        assertEquals("empty.pem: no CERTIFICATE block found",
                assertThrows(TlsSetupException.class, () -> PemFiles.readChain(dir.resolve("empty.pem"))).getMessage());
        assertTrue(assertThrows(TlsSetupException.class, () -> PemFiles.readKey(dir.resolve("empty.pem")))
                .getMessage().startsWith("empty.pem: no private key block found"));
        assertTrue(assertThrows(TlsSetupException.class, () -> PemFiles.readKey(dir.resolve("absent.pem")))
                .getMessage().startsWith("absent.pem: not a readable PEM key file"));
        assertEquals("an https listener needs a site with a certificate (tls = { cert, key })",
                assertThrows(TlsSetupException.class, () -> ServerTls.start(ServerConfig.defaults(dir).sites(), QUIET)).getMessage());
    }
}
