package io.tenk.server;

import io.tenk.config.Listen;
import io.tenk.config.ServerConfig;
import io.tenk.config.Site;
import io.tenk.config.TlsConfig;
import io.tenk.support.Chromium;
import io.tenk.support.TestServer;
import io.tenk.tls.LocalCa;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The demo site over HTTPS in a real browser, as a developer sees it after {@code tenk --https}:
 * tenk's local CA issues the certificate, the CA is trusted the way {@code tenk ca} says
 * (certutil into the NSS database in the browser's home), and headless Chromium shows the demo
 * page: its title and heading. Without the CA trusted, the same browser shows no page. Skipped
 * where Chromium or certutil is not installed, except in CI ({@code .ci/run} installs both).
 */
class ChromiumHttpsTest {
    static final Path DEMO = Path.of("html");
    @TempDir Path dir;

    @Test void theDemoSiteShowsWithTheLocalCaTrusted() throws Exception {
        Path browser = Chromium.require();
        Path certutil = Path.of("/usr/bin/certutil");
        if (!Files.isExecutable(certutil)) {
            if (System.getenv("CI") != null) fail("certutil is not installed (.ci/run installs libnss3-tools)");
            Assumptions.abort("certutil is not installed (apt-get install libnss3-tools)");
        }
        String heading = heading(Files.readString(DEMO.resolve("index.html")));
        LocalCa ca = LocalCa.loadOrCreate(Files.createDirectories(dir.resolve("data")));
        TlsConfig tls = ca.issue(List.of());
        ServerConfig cfg = TestServer.config(DEMO.toAbsolutePath(), "reactor").with(b -> b.accessLog(false)
                .listen(List.of(new Listen("127.0.0.1", 0, true))).sites(List.of(Site.serving(DEMO.toAbsolutePath()).withTls(tls))));
        try (TestServer server = TestServer.start(cfg)) {
            String url = "https://localhost:" + server.address().getPort() + "/";

            Path trusting = Files.createDirectories(dir.resolve("home-trusting"));
            Path nss = Files.createDirectories(trusting.resolve(".pki/nssdb"));
            run(certutil.toString(), "-d", "sql:" + nss, "-N", "--empty-password");
            run(certutil.toString(), "-d", "sql:" + nss, "-A", "-t", "C,,", "-n", "tenk", "-i", ca.certFile().toString());
            String dom = Chromium.dumpDom(browser, Files.createDirectories(dir.resolve("profile-trusting")), url, Map.of("HOME", trusting.toString()));
            assertTrue(dom.contains("<title>tenk: a fast, secure static-file server</title>"), dom);
            assertTrue(dom.contains(heading), "the demo page's heading, " + heading + ": " + dom);

            Path stranger = Files.createDirectories(dir.resolve("home-stranger"));
            String refused = Chromium.dumpDom(browser, Files.createDirectories(dir.resolve("profile-stranger")), url, Map.of("HOME", stranger.toString()));
            assertFalse(refused.contains(heading), "shown without the CA trusted: " + refused);
        }
    }

    /** The page's first {@code <h1>} element, as the DOM writes it. */
    private static String heading(String html) {
        int start = html.indexOf("<h1");
        assertTrue(start >= 0, "the demo page has a heading");
        return html.substring(start, html.indexOf("</h1>", start) + 5);
    }

    private static void run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String said = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), String.join(" ", cmd));
        assertEquals(0, p.exitValue(), String.join(" ", cmd) + ": " + said);
    }
}
