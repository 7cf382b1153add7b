package io.tenk.server;

import io.tenk.support.TestServer;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The listing page in a real browser: headless Chromium loads it (scripts run, the page's CSP
 * applies) and the DOM it ends with shows the hostile file name as text, not as an element.
 * Skipped where Chromium is not installed, except in CI ({@code .ci/run} installs it).
 */
class ListingChromiumTest {
    @TempDir Path root;
    @TempDir Path profile;

    static Path chromium() {
        for (String p : List.of("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome")) {
            if (Files.isExecutable(Path.of(p))) return Path.of(p);
        }
        return null;
    }

    @Test void domShowsTheEscapedName() throws Exception {
        Path browser = chromium();
        if (browser == null) {
            if (System.getenv("CI") != null) fail("Chromium is not installed (.ci/run installs it)");
            Assumptions.abort("Chromium is not installed");
        }
        Files.writeString(root.resolve("<img src=x onerror=alert(1)>.txt"), "x");
        Files.writeString(root.resolve("notes.md"), "# notes\n".repeat(300));
        Files.createDirectories(root.resolve("photos"));
        try (TestServer server = TestServer.start(TestServer.config(root).with(b -> b.accessLog(false)))) {
            String dom = dumpDom(browser, server.uri("/").toString());
            assertTrue(dom.contains("&lt;img src=x onerror=alert(1)&gt;.txt"), dom);
            assertFalse(dom.contains("<img src=\"x\""), dom);
            assertTrue(dom.contains("href=\"%3Cimg%20src=x%20onerror=alert(1)%3E.txt\""), dom);
            assertTrue(dom.contains("data-sort=\"size\""), dom);
            assertTrue(dom.contains("photos/"), dom);
        }
    }

    String dumpDom(Path browser, String url) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(browser.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--user-data-dir=" + profile, "--dump-dom", url));
        Path out = profile.resolve("dom.html");
        Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("chromium did not finish within 60 s");
        }
        return Files.readString(out, StandardCharsets.UTF_8);
    }
}
