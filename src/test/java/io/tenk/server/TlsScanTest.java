package io.tenk.server;

import io.tenk.config.Listen;
import io.tenk.config.ServerConfig;
import io.tenk.config.Site;
import io.tenk.support.TestCerts;
import io.tenk.support.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * testssl.sh against tenk on 127.0.0.1 (no DNS, nothing beyond the loopback): the protocols
 * offered, the server's cipher order and client-initiated renegotiation, checks that are quick
 * and that once found something; no finding rated HIGH or
 * CRITICAL. The full scan (every check, a few minutes) is bench/tls-scan, its summary in
 * docs/RELIABILITY.md.
 */
class TlsScanTest {
    static final Pattern SEVERITY = Pattern.compile("\"severity\"\\s*:\\s*\"(\\w+)\"");

    @TempDir Path dir;

    @Test void testsslFindsNothingHighOrCritical() throws Exception {
        Path root = Files.createDirectories(dir.resolve("www"));
        Files.writeString(root.resolve("index.html"), "hello\n");
        TestCerts certs = new TestCerts(dir);
        var tls = certs.issue("localhost");
        ServerConfig cfg = TestServer.config(root, "reactor").with(b -> b.accessLog(false)
                .listen(List.of(new Listen("127.0.0.1", 0, true))).sites(List.of(Site.serving(root).withTls(tls))));
        try (TestServer s = TestServer.start(cfg)) {
            Path json = dir.resolve("testssl.json");
            Process p = new ProcessBuilder("timeout", "240", "testssl", "--quiet", "--color", "0", "--warnings", "off",
                    "--nodns", "none", "--ip", "127.0.0.1", "--openssl-timeout", "10", "--fast",
                    "--jsonfile", json.toString(), "--protocols", "--server-preference", "--renegotiation",
                    "https://localhost:" + s.address().getPort() + "/")
                    .redirectErrorStream(true).start();
            String said = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(300, TimeUnit.SECONDS));
            assertEquals(0, p.exitValue(), said);
            String findings = Files.readString(json);
            assertTrue(findings.contains("\"TLS1_3\"") && findings.contains("\"secure_client_renego\"") && findings.contains("\"cipher_order\""), findings);
            Matcher m = SEVERITY.matcher(findings);
            while (m.find()) {
                assertTrue(!m.group(1).equals("HIGH") && !m.group(1).equals("CRITICAL"), said);
            }
        }
    }
}
