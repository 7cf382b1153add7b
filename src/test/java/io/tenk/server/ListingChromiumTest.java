package io.tenk.server;

import io.tenk.support.Chromium;
import io.tenk.support.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The listing page in a real browser: headless Chromium loads it (scripts run, the page's CSP
 * applies) and the DOM it ends with shows the hostile file name as text, not as an element.
 * Skipped where Chromium is not installed, except in CI ({@code .ci/run} installs it).
 */
class ListingChromiumTest {
    @TempDir Path root;
    @TempDir Path profile;

    @Test void domShowsTheEscapedName() throws Exception {
        Path browser = Chromium.require();
        Files.writeString(root.resolve("<img src=x onerror=alert(1)>.txt"), "x");
        Files.writeString(root.resolve("notes.md"), "# notes\n".repeat(300));
        Files.createDirectories(root.resolve("photos"));
        try (TestServer server = TestServer.start(TestServer.config(root).with(b -> b.accessLog(false)))) {
            String dom = Chromium.dumpDom(browser, profile, server.uri("/").toString(), Map.of());
            assertTrue(dom.contains("&lt;img src=x onerror=alert(1)&gt;.txt"), dom);
            assertFalse(dom.contains("<img src=\"x\""), dom);
            assertTrue(dom.contains("href=\"%3Cimg%20src=x%20onerror=alert(1)%3E.txt\""), dom);
            assertTrue(dom.contains("data-sort=\"size\""), dom);
            assertTrue(dom.contains("photos/"), dom);
        }
    }
}
