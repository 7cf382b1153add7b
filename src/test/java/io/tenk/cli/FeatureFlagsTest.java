package io.tenk.cli;

import io.tenk.config.ServerConfig;
import io.tenk.handler.SiteOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPInputStream;

import static io.tenk.cli.CliTest.assertOneLineError;
import static io.tenk.cli.CliTest.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The site flags fill the site's options; bad values are one clear line and exit 2; tenk compress. */
class FeatureFlagsTest {
    @TempDir Path root;

    ServerConfig parse(String... args) {
        ServeCommand c = new ServeCommand();
        c.commandLine().parseArgs(args);
        return c.toConfig();
    }

    @Test void defaults() {
        SiteOptions s = parse("-d", root.toString()).site();
        assertTrue(s.listing());
        assertFalse(s.spa());
        assertNull(s.corsOrigin());
        assertEquals(0, s.maxAgeSeconds());
        assertTrue(s.compression());
        assertTrue(s.openFileCache());
    }

    @Test void flagsFillTheSiteOptions() {
        SiteOptions s = parse("-d", root.toString(), "--no-list", "--spa", "--cors", "--max-age", "600",
                "-H", "Cross-Origin-Opener-Policy: same-origin", "--header", "X-A:b", "--no-cache", "--no-compress").site();
        assertFalse(s.listing());
        assertTrue(s.spa());
        assertEquals("*", s.corsOrigin());
        assertEquals(600, s.maxAgeSeconds());
        assertEquals(List.of(new SiteOptions.HeaderField("Cross-Origin-Opener-Policy", "same-origin"),
                new SiteOptions.HeaderField("X-A", "b")), s.headers());
        assertFalse(s.openFileCache());
        assertFalse(s.compression());
        assertEquals("https://app.example", parse("-d", root.toString(), "--cors", "https://app.example").site().corsOrigin());
    }

    @ParameterizedTest
    @ValueSource(strings = {"NoColon", ": value", "Bad Name: v", "X-A: a\r\nSet-Cookie: b", "X-A: a\nb", "Content-Length: 5", "X\u00e9: v"})
    void badHeadersAreOneLineErrors(String header) {
        assertOneLineError(run("-p", "0", "-d", root.toString(), "-H", header), 2, "-H '");
    }

    /** A field tenk owns is refused alike on the command line, in a site's headers and in a header rule. */
    @ParameterizedTest
    @ValueSource(strings = {"Server", "date", "Connection", "Content-Length", "Transfer-Encoding", "Content-Range"})
    void ownedFieldsAreRefusedEverywhereWithTheSameLine(String name) throws IOException {
        String refusal = "tenk sets " + name + " itself";
        assertThrows(IllegalArgumentException.class, () -> parse("-d", root.toString(), "-H", name + ": x"));
        CliTest.Run flag = run("-p", "0", "-d", root.toString(), "-H", name + ": x");
        assertOneLineError(flag, 2, "-H '" + name + ": x': " + refusal);
        Path site = Files.writeString(root.resolve("site.toml"),
                "[[site]]\nnames = [\"*\"]\nroot = \".\"\nheaders = { \"" + name + "\" = \"x\" }\n");
        assertOneLineError(run("-p", "0", "--config", site.toString()), 2, "headers." + name + ": " + refusal);
        Path rule = Files.writeString(root.resolve("rule.toml"),
                "[[site]]\nnames = [\"*\"]\nroot = \".\"\n[[site.rule]]\nheader = '.'\nset = { \"" + name + "\" = \"x\" }\n");
        assertOneLineError(run("-p", "0", "--config", rule.toString()), 2, "set." + name + ": " + refusal);
    }

    @Test void badCorsOriginAndMaxAge() {
        assertOneLineError(run("-p", "0", "-d", root.toString(), "--cors", "https://a.example/path"), 2, "CORS origin");
        assertOneLineError(run("-p", "0", "-d", root.toString(), "--max-age", "-5"), 2, "max-age");
    }

    @Test void compressWritesSiblingsAndASummary() throws IOException {
        String js = "function hello(name) { return 'hello ' + name; }\n".repeat(100);
        Files.writeString(root.resolve("app.js"), js);
        Files.writeString(root.resolve("tiny.css"), "a{}");
        Files.write(root.resolve("photo.png"), new byte[5000]);
        Files.createDirectories(root.resolve(".git"));
        Files.writeString(root.resolve(".git/big.txt"), js);
        CliTest.Run r = run("compress", root.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(Files.exists(root.resolve("app.js.gz")));
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(Files.readAllBytes(root.resolve("app.js.gz"))))) {
            assertEquals(js, new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
        for (String s : List.of(".br", ".zst")) {
            // written when the native library loads here, else skipped with a message naming it
            String fmt = s.equals(".br") ? "br" : "zstd";
            assertTrue(Files.exists(root.resolve("app.js" + s)) || r.err().contains("skipping " + fmt), r.err());
        }
        assertFalse(Files.exists(root.resolve("tiny.css.gz")));
        assertFalse(Files.exists(root.resolve("photo.png.gz")));
        assertFalse(Files.exists(root.resolve(".git/big.txt.gz")));
        assertTrue(r.out().startsWith("1 file ("), r.out());
        assertTrue(r.out().contains("gzip") && r.out().contains("saved"), r.out());
        CliTest.Run again = run("compress", root.toString());
        assertTrue(again.out().contains("0 written"), again.out());
        assertOneLineError(run("compress", root.resolve("nope").toString()), 2, "does not exist");
        assertOneLineError(run("compress", "--formats", "lzma", root.toString()), 2, "unknown format");
    }
}
