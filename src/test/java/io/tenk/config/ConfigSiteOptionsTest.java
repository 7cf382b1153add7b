package io.tenk.config;

import io.tenk.handler.SiteOptions;
import io.tenk.model.Models;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Per-site features in tenk.toml: listing, headers, spa, cors, max_age, compression, error pages. */
class ConfigSiteOptionsTest {
    @TempDir Path dir;

    private ServerConfig load(String text) throws IOException {
        Files.createDirectories(dir.resolve("a"));
        Files.createDirectories(dir.resolve("b"));
        return ConfigFile.load(Files.writeString(dir.resolve("tenk.toml"), text), ServerConfig.defaults(dir));
    }

    @Test void siteKeysSetThatSitesOptionsAndOthersKeepDefaults() throws IOException {
        ServerConfig c = load("""
                [[site]]
                names = ["a.test"]
                root = "a"
                listing = false
                spa = true
                cors = "https://app.example"
                max_age = 3600
                compression = false
                error_pages = false
                headers = { "Cross-Origin-Opener-Policy" = "same-origin", "X-Frame-Options" = "DENY" }

                [[site]]
                names = ["*"]
                root = "b"
                """);
        SiteOptions a = c.sites().get(0).options();
        assertFalse(a.listing());
        assertTrue(a.spa());
        assertEquals("https://app.example", a.corsOrigin());
        assertEquals(3600, a.maxAgeSeconds());
        assertFalse(a.compression());
        assertFalse(a.errorPages());
        assertEquals(List.of(new SiteOptions.HeaderField("Cross-Origin-Opener-Policy", "same-origin"),
                new SiteOptions.HeaderField("X-Frame-Options", "DENY")), a.headers());
        SiteOptions b = c.sites().get(1).options();
        assertEquals(ServerConfig.defaultSiteOptions(b.root()), b);
    }

    @Test void badSiteOptionValuesNameLineAndKey() {
        record Case(String body, String expected) {}
        for (Case k : List.of(
                new Case("listing = \"yes\"", "tenk.toml:4: site[1].listing: expected true or false"),
                new Case("max_age = -5", "tenk.toml:4: site[1].max_age: out of range"),
                new Case("cors = \"not an origin\"", "tenk.toml:4: site[1].cors: bad CORS origin"),
                new Case("headers = { \"Content-Length\" = \"5\" }", "site[1].headers.Content-Length: tenk sets Content-Length itself"),
                new Case("headers = { \"Server\" = \"x\" }", "site[1].headers.Server: tenk sets Server itself"),
                new Case("headers = { \"X-A\" = \"a\\nb\" }", "site[1].headers.X-A: bad character"))) {
            ConfigException e = assertThrows(ConfigException.class, () -> load("[[site]]\nnames = [\"*\"]\nroot = \"a\"\n" + k.body() + "\n"));
            assertTrue(e.getMessage().contains(k.expected()), k.body() + " → " + e.getMessage());
        }
    }
}
