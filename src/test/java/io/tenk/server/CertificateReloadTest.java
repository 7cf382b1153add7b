package io.tenk.server;

import io.tenk.TenkServer;
import io.tenk.config.Listen;
import io.tenk.config.ServerConfig;
import io.tenk.config.Site;
import io.tenk.config.TlsConfig;
import io.tenk.observe.AccessLog;
import io.tenk.observe.ErrorLog;
import io.tenk.support.TestCerts;
import io.tenk.support.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLSocket;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A reload (SIGHUP) reads the certificate files again: new handshakes get the new certificate at
 * once, without a restart; a pair that does not load keeps the one in use, with one error line
 * naming the file; a key readable by others is warned about.
 */
class CertificateReloadTest {
    @TempDir Path dir;

    @Test void aReloadSwapsTheCertificateAndABrokenPairKeepsTheOldOne() throws Exception {
        Path root = Files.createDirectories(dir.resolve("www"));
        Files.writeString(root.resolve("a.txt"), "alpha\n");
        TestCerts certs = new TestCerts(dir);
        TlsConfig a = certs.issue("a", "live.test"), b = certs.issue("b", "live.test");
        Path cert = dir.resolve("live.pem"), key = dir.resolve("live-key.pem");
        install(a, cert, key);
        TlsConfig live = new TlsConfig(cert, key, false);
        ServerConfig cfg = TestServer.config(root, "reactor").with(c -> c.accessLog(false)
                .listen(List.of(new Listen("127.0.0.1", 0, true))).sites(List.of(Site.serving(root).withTls(live))));
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        try (TenkServer s = TenkServer.start(cfg, AccessLog.disabled(), new ErrorLog(new PrintStream(log, true, StandardCharsets.UTF_8), false))) {
            BigInteger serialA = serial(a), serialB = serial(b);
            assertEquals(serialA, seen(certs, s));

            install(b, cert, key);
            assertEquals(List.of(), s.reload(cfg));
            assertEquals(serialB, seen(certs, s));
            assertEquals("", log.toString(StandardCharsets.UTF_8));

            // A's certificate with B's key: refused, B stays
            Files.copy(a.cert(), cert, StandardCopyOption.REPLACE_EXISTING);
            s.reload(cfg);
            assertEquals(serialB, seen(certs, s));
            List<String> lines = log.toString(StandardCharsets.UTF_8).lines().toList();
            assertEquals(1, lines.size(), lines.toString());
            assertTrue(lines.getFirst().contains(" error certificate of * not reloaded, keeping the one in use: "
                    + "live-key.pem is not the key of the first certificate in live.pem"), lines.getFirst());
            assertFalse(lines.getFirst().contains("PRIVATE KEY"));
            log.reset();

            // a file that is no PEM at all: the same
            Files.writeString(cert, "not a certificate\n");
            s.reload(cfg);
            assertEquals(serialB, seen(certs, s));
            assertTrue(log.toString(StandardCharsets.UTF_8).contains("live.pem: no CERTIFICATE block found"), log.toString());
            log.reset();

            // a good pair again, its key readable by the group: served, with a warning
            install(a, cert, key);
            Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-r-----"));
            s.reload(cfg);
            assertEquals(serialA, seen(certs, s));
            lines = log.toString(StandardCharsets.UTF_8).lines().toList();
            assertEquals(1, lines.size(), lines.toString());
            assertTrue(lines.getFirst().contains(" warn " + key + ": the private key is readable by other users (chmod 600 it)"), lines.getFirst());
        }
    }

    /** Copies {@code t}'s files over the live ones, the key readable by its owner only. */
    private static void install(TlsConfig t, Path cert, Path key) throws Exception {
        Files.copy(t.cert(), cert, StandardCopyOption.REPLACE_EXISTING);
        Files.copy(t.key(), key, StandardCopyOption.REPLACE_EXISTING);
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
    }

    private static BigInteger serial(TlsConfig t) {
        return io.tenk.tls.PemFiles.readChain(t.cert()).getFirst().getSerialNumber();
    }

    /** The serial number of the certificate a new handshake gets. */
    private static BigInteger seen(TestCerts certs, TenkServer s) throws Exception {
        try (SSLSocket socket = certs.connectFresh(s.address(), "live.test")) {
            return ((X509Certificate) socket.getSession().getPeerCertificates()[0]).getSerialNumber();
        }
    }
}
