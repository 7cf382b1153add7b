package io.tenk.server;

import io.tenk.config.Listen;
import io.tenk.config.ServerConfig;
import io.tenk.config.Site;
import io.tenk.support.TestCerts;
import io.tenk.support.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLSocket;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * testssl.sh against tenk on 127.0.0.1 (no DNS, nothing beyond the loopback): the protocols
 * offered and the server's cipher order, checks that are quick and that once found something;
 * no finding rated HIGH or CRITICAL. Client-initiated renegotiation, which testssl.sh also once
 * found (rated HIGH), is checked here by the JDK's own client, which renegotiates on demand:
 * testssl.sh decides it from timing (it sends "R" lines to openssl s_client, a second apart), which
 * a machine busy with the rest of the suite can tip. The full scan (every check, a few minutes) is
 * bench/tls-scan, its summary in docs/RELIABILITY.md.
 */
@org.junit.jupiter.api.Order(3) // a long class, started early (junit-platform.properties)
class TlsScanTest {
    static final Pattern SEVERITY = Pattern.compile("\"severity\"\\s*:\\s*\"(\\w+)\"");

    @TempDir Path dir;

    /** A one-page HTTPS site on the reactor, its certificate from {@code certs}' CA, for localhost. */
    private ServerConfig httpsSite(TestCerts certs) throws IOException {
        Path root = Files.createDirectories(dir.resolve("www"));
        Files.writeString(root.resolve("index.html"), "hello\n");
        var tls = certs.issue("localhost");
        return TestServer.config(root, "reactor").with(b -> b.accessLog(false)
                .listen(List.of(new Listen("127.0.0.1", 0, true))).sites(List.of(Site.serving(root).withTls(tls))));
    }

    @Test void testsslFindsNothingHighOrCritical() throws Exception {
        try (TestServer s = TestServer.start(httpsSite(new TestCerts(dir)))) {
            Path json = dir.resolve("testssl.json");
            Process p = new ProcessBuilder("timeout", "240", "testssl", "--quiet", "--color", "0", "--warnings", "off",
                    "--nodns", "none", "--ip", "127.0.0.1", "--openssl-timeout", "10", "--fast",
                    "--jsonfile", json.toString(), "--protocols", "--server-preference",
                    "https://localhost:" + s.address().getPort() + "/")
                    .redirectErrorStream(true).start();
            String said = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(300, TimeUnit.SECONDS));
            assertEquals(0, p.exitValue(), said);
            String findings = Files.readString(json);
            assertTrue(findings.contains("\"TLS1_3\"") && findings.contains("\"cipher_order\""), findings);
            Matcher m = SEVERITY.matcher(findings);
            while (m.find()) {
                assertTrue(!m.group(1).equals("HIGH") && !m.group(1).equals("CRITICAL"), said);
            }
        }
    }

    @Test void aClientThatRenegotiatesIsClosed() throws Exception {
        TestCerts certs = new TestCerts(dir);
        try (TestServer s = TestServer.start(httpsSite(certs));
             SSLSocket c = (SSLSocket) certs.clientContext().getSocketFactory().createSocket("127.0.0.1", s.address().getPort())) {
            c.setSoTimeout(10_000);
            c.setEnabledProtocols(new String[] {"TLSv1.2"}); // TLS 1.3 has no renegotiation
            c.startHandshake();
            OutputStream out = c.getOutputStream();
            out.write("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = c.getInputStream();
            byte[] head = new byte[12];
            assertEquals(12, in.readNBytes(head, 0, 12));
            assertEquals("HTTP/1.1 200", new String(head, StandardCharsets.US_ASCII));
            // a second handshake on the established connection: the server closes instead of
            // renegotiating, and the second request gets no answer
            String after;
            try {
                c.startHandshake();
                out.write("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                after = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1); // the rest of the first response
            } catch (SocketTimeoutException e) {
                throw new AssertionError("the server neither renegotiated nor closed", e);
            } catch (IOException e) {
                after = ""; // closed during the handshake
            }
            assertFalse(after.contains("HTTP/1.1 "), "a second response came after a renegotiation: " + after);
        }
    }
}
