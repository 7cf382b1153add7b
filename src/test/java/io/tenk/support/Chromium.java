package io.tenk.support;

import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * Headless Chromium for tests that check pages in a real browser. Where it is not installed, a
 * test is skipped, except in CI ({@code .ci/run} installs it), where it fails.
 */
public final class Chromium {
    private Chromium() {}

    /** The browser's executable, or null. */
    public static Path find() {
        for (String p : List.of("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome")) {
            if (Files.isExecutable(Path.of(p))) return Path.of(p);
        }
        return null;
    }

    /** The browser's executable; a test without one is skipped (failed in CI). */
    public static Path require() {
        Path browser = find();
        if (browser == null) {
            if (System.getenv("CI") != null) fail("Chromium is not installed (.ci/run installs it)");
            Assumptions.abort("Chromium is not installed");
        }
        return browser;
    }

    /**
     * Loads {@code url} and returns the DOM the page ends with (empty when it did not load), with
     * its profile in {@code profile} and {@code env} added to its environment (HOME: where it
     * finds its NSS certificate database).
     */
    public static String dumpDom(Path browser, Path profile, String url, Map<String, String> env) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(browser.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--user-data-dir=" + profile, "--dump-dom", url));
        Path out = profile.resolve("dom.html");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD);
        pb.environment().putAll(env);
        Process p = pb.start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("chromium did not finish within 60 s");
        }
        return Files.readString(out, StandardCharsets.UTF_8);
    }
}
