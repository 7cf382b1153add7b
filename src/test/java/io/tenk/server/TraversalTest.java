package io.tenk.server;

import io.tenk.support.HttpReply;
import io.tenk.support.RawClient;
import io.tenk.support.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Hostile paths sent byte-for-byte over a socket: none may return a byte of a file outside the
 * root (a secret sits next to it, and symlinks inside the root point at it), nor a dotfile.
 */
class TraversalTest {
    static final String SECRET = "TOP-SECRET-7f3a";
    @TempDir static Path dir;
    static TestServer server;

    @BeforeAll static void start() throws IOException {
        Path root = Files.createDirectories(dir.resolve("www"));
        Files.writeString(dir.resolve("secret.txt"), SECRET);
        Files.createDirectories(dir.resolve("outside"));
        Files.writeString(dir.resolve("outside/secret.txt"), SECRET);
        Files.writeString(root.resolve("index.html"), "home");
        Files.createDirectories(root.resolve("sub"));
        Files.writeString(root.resolve("sub/ok.txt"), "ok");
        Files.writeString(root.resolve(".env"), SECRET);
        Files.createDirectories(root.resolve(".git"));
        Files.writeString(root.resolve(".git/config"), SECRET);
        Files.createSymbolicLink(root.resolve("link.txt"), dir.resolve("secret.txt"));
        Files.createSymbolicLink(root.resolve("linkdir"), dir.resolve("outside"));
        server = TestServer.start(TestServer.config(root).with(b -> b.accessLog(false)));
    }

    @AfterAll static void stop() { server.close(); }

    @ParameterizedTest
    @ValueSource(strings = {
            "/../secret.txt", "/../../secret.txt", "/sub/../../secret.txt", "/%2e%2e/secret.txt",
            "/%2E%2E/secret.txt", "/..%2fsecret.txt", "/sub%2f..%2f..%2fsecret.txt", "/%2e%2e%2fsecret.txt",
            "/..%5csecret.txt", "/%5c..%5csecret.txt", "/..\\secret.txt", "/sub\\..\\..\\secret.txt",
            "/%c0%ae%c0%ae/secret.txt", "/%c0%af../secret.txt", "/%e0%80%ae%e0%80%ae/secret.txt",
            "/%252e%252e/secret.txt", "/secret.txt%00.html", "/%00/../secret.txt", "/link.txt",
            "/linkdir/secret.txt", "/linkdir/", "/.env", "/.git/config", "/sub/../.env", "/%2eenv",
            "/%2egit/config", "//../secret.txt", "/./../secret.txt", "/sub/./../../secret.txt",
            "http://x/../secret.txt", "/%ff%fe/../../secret.txt", "/%", "/%2", "/%zz/../secret.txt"})
    void hostilePathNeverLeaksAByte(String path) throws IOException {
        try (RawClient c = server.connect()) {
            HttpReply r = c.send("GET " + path + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").read();
            assertTrue(r.status() == 400 || r.status() == 404 || r.status() == 403, path + " → " + r.statusLine());
            String all = r.rawHead() + new String(r.body(), StandardCharsets.ISO_8859_1);
            assertFalse(all.contains(SECRET), path + " leaked the secret");
            assertFalse(all.contains(dir.toString()), path + " leaked an absolute path");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"//evil.example", "/%5cevil.example", "/%2f%2fevil.example", "/.//evil.example", "/sub//"})
    void redirectsNeverLeaveTheSite(String path) throws IOException {
        Files.createDirectories(dir.resolve("www/evil.example"));
        try (RawClient c = server.connect()) {
            HttpReply r = c.send("GET " + path + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").read();
            String loc = r.header("Location");
            if (loc != null) {
                assertTrue(loc.startsWith("/") && !loc.startsWith("//") && !loc.contains("\\"), path + " → " + loc);
            }
        }
    }
}
