package io.tenk.server;

import io.tenk.support.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static io.tenk.support.Bytes.assertSameBytes;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Ordinary flows through real clients: the JDK's HttpClient, and curl as an external program.
 * The cases only read: they share one site and server.
 */
class ClientsTest {
    @TempDir static Path root;
    static TestServer server;
    static byte[] big;
    static HttpClient http;

    @BeforeAll static void start() throws IOException {
        Files.writeString(root.resolve("index.html"), "<!DOCTYPE html><title>t</title><p>home</p>\n");
        Files.createDirectories(root.resolve("docs"));
        Files.writeString(root.resolve("docs/index.html"), "<p>docs</p>\n");
        Files.writeString(root.resolve("style.css"), "body{color:red}\n");
        big = new byte[5 * 1024 * 1024 + 123];
        new Random(42).nextBytes(big);
        Files.write(root.resolve("big.bin"), big);
        server = TestServer.start(TestServer.config(root).with(b -> b.accessLog(false)));
        http = HttpClient.newHttpClient();
    }

    @AfterAll static void stop() {
        if (http != null) http.close();
        if (server != null) server.close();
    }

    HttpResponse<byte[]> get(String path, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(server.uri(path));
        for (int i = 0; i < headers.length; i += 2) b.header(headers[i], headers[i + 1]);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    @Test void servesIndexWithTypeValidatorsAndRanges() throws Exception {
        HttpResponse<byte[]> r = get("/");
        assertEquals(200, r.statusCode());
        assertEquals("text/html; charset=utf-8", r.headers().firstValue("Content-Type").orElse(null));
        assertEquals("bytes", r.headers().firstValue("Accept-Ranges").orElse(null));
        assertNotNull(r.headers().firstValue("ETag").orElse(null));
        assertNotNull(r.headers().firstValue("Last-Modified").orElse(null));
        assertNotNull(r.headers().firstValue("Date").orElse(null));
        assertEquals("tenk", r.headers().firstValue("Server").orElse(null));
        assertEquals(Files.readString(root.resolve("index.html")), new String(r.body(), StandardCharsets.UTF_8));
        assertEquals("text/css; charset=utf-8", get("/style.css").headers().firstValue("Content-Type").orElse(null));
    }

    @Test void largeFileArrivesIntact() throws Exception {
        HttpResponse<byte[]> r = get("/big.bin");
        assertEquals(200, r.statusCode());
        assertEquals("application/octet-stream", r.headers().firstValue("Content-Type").orElse(null));
        assertEquals(big.length, r.body().length);
        assertSameBytes(big, r.body());
    }

    @Test void manyConcurrentClientsAllGetTheirFile() throws Exception {
        List<java.util.concurrent.CompletableFuture<HttpResponse<byte[]>>> fs = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            fs.add(http.sendAsync(HttpRequest.newBuilder(server.uri(i % 2 == 0 ? "/big.bin" : "/")).build(),
                    HttpResponse.BodyHandlers.ofByteArray()));
        }
        for (int i = 0; i < fs.size(); i++) {
            HttpResponse<byte[]> r = fs.get(i).get(30, TimeUnit.SECONDS);
            assertEquals(200, r.statusCode());
            if (i % 2 == 0) assertSameBytes(big, r.body());
        }
    }

    @Test void conditionalGetAndRange() throws Exception {
        String etag = get("/big.bin").headers().firstValue("ETag").orElseThrow();
        HttpResponse<byte[]> notModified = get("/big.bin", "If-None-Match", etag);
        assertEquals(304, notModified.statusCode());
        assertEquals(0, notModified.body().length);
        assertEquals(etag, notModified.headers().firstValue("ETag").orElse(null));
        assertEquals(412, get("/big.bin", "If-Match", "\"other\"").statusCode());

        HttpResponse<byte[]> part = get("/big.bin", "Range", "bytes=1000-1999");
        assertEquals(206, part.statusCode());
        assertEquals("bytes 1000-1999/" + big.length, part.headers().firstValue("Content-Range").orElse(null));
        assertArrayEquals(Arrays.copyOfRange(big, 1000, 2000), part.body());

        HttpResponse<byte[]> suffix = get("/big.bin", "Range", "bytes=-10");
        assertArrayEquals(Arrays.copyOfRange(big, big.length - 10, big.length), suffix.body());

        HttpResponse<byte[]> none = get("/big.bin", "Range", "bytes=" + big.length + "-");
        assertEquals(416, none.statusCode());
        assertEquals("bytes */" + big.length, none.headers().firstValue("Content-Range").orElse(null));

        HttpResponse<byte[]> stale = get("/big.bin", "Range", "bytes=0-9", "If-Range", "\"stale\"");
        assertEquals(200, stale.statusCode());
        assertEquals(big.length, stale.body().length);
    }

    @Test void multipleRangesAreMultipart() throws Exception {
        HttpResponse<byte[]> r = get("/big.bin", "Range", "bytes=0-9,100-109");
        assertEquals(206, r.statusCode());
        String type = r.headers().firstValue("Content-Type").orElseThrow();
        assertTrue(type.startsWith("multipart/byteranges; boundary="), type);
        String body = new String(r.body(), StandardCharsets.ISO_8859_1);
        assertTrue(body.contains("Content-Range: bytes 0-9/" + big.length), body);
        assertTrue(body.contains("Content-Range: bytes 100-109/" + big.length), body);
        assertTrue(body.contains(new String(Arrays.copyOfRange(big, 100, 110), StandardCharsets.ISO_8859_1)));
    }

    @Test void directoryWithoutSlashRedirectsAndMissingIs404Html() throws Exception {
        HttpResponse<byte[]> r = get("/docs?x=1");
        assertEquals(301, r.statusCode());
        assertEquals("/docs/?x=1", r.headers().firstValue("Location").orElse(null));
        assertEquals("<p>docs</p>\n", new String(get("/docs/").body(), StandardCharsets.UTF_8));
        HttpResponse<byte[]> missing = get("/nope.html");
        assertEquals(404, missing.statusCode());
        assertEquals("text/html; charset=utf-8", missing.headers().firstValue("Content-Type").orElse(null));
        assertTrue(new String(missing.body(), StandardCharsets.UTF_8).contains("404 Not Found"));
    }

    // ---- curl, an external client -------------------------------------------------------------

    record Curl(int code, String out, String err) {}

    Curl curl(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("curl", "-sS", "--max-time", "20"));
        cmd.addAll(List.of(args));
        Process p;
        try {
            p = new ProcessBuilder(cmd).start();
        } catch (IOException e) {
            throw new AssertionError("curl is needed for these tests (apt-get install curl)", e);
        }
        byte[] out = p.getInputStream().readAllBytes();
        byte[] err = p.getErrorStream().readAllBytes();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        return new Curl(p.exitValue(), new String(out, StandardCharsets.ISO_8859_1), new String(err, StandardCharsets.UTF_8));
    }

    @Test void curlRangedDownload(@TempDir Path tmp) throws Exception {
        Path out = tmp.resolve("part.bin");
        Curl c = curl("-r", "4096-8191", "-o", out.toString(), "-w", "%{http_code}", server.uri("/big.bin").toString());
        assertEquals(0, c.code(), c.err());
        assertEquals("206", c.out());
        assertArrayEquals(Arrays.copyOfRange(big, 4096, 8192), Files.readAllBytes(out));
    }

    @Test void curlResumesAnInterruptedDownload(@TempDir Path tmp) throws Exception {
        Path out = tmp.resolve("big.bin");
        Files.write(out, Arrays.copyOf(big, 1_000_000));
        Curl c = curl("-C", "-", "-o", out.toString(), server.uri("/big.bin").toString());
        assertEquals(0, c.code(), c.err());
        assertSameBytes(big, Files.readAllBytes(out));
    }

    @Test void curlHead() throws Exception {
        Curl c = curl("-I", server.uri("/big.bin").toString());
        assertEquals(0, c.code(), c.err());
        assertTrue(c.out().startsWith("HTTP/1.1 200 OK\r\n"), c.out());
        assertTrue(c.out().contains("Content-Length: " + big.length + "\r\n"), c.out());
    }

    @Test void curlReusesOneConnectionForTwoUrls() throws Exception {
        Curl c = curl("-v", "-o", "/dev/null", "-o", "/dev/null", server.uri("/").toString(), server.uri("/style.css").toString());
        assertEquals(0, c.code(), c.err());
        assertTrue(c.err().matches("(?s).*(?i:re-?using existing).*"), c.err());
        assertEquals(1, c.err().lines().filter(l -> l.contains("Connected to")).count(), c.err());
    }

}
