package io.tenk.model.nio;

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
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code --tcp-nopush on} changes how segments leave, never which bytes: a keep-alive run of file
 * responses (whole, HEAD, one range, several ranges, a small file, the large one again) reads
 * byte for byte as without it (the Date fields aside), on the reactor and on edge-triggered and
 * leader/follower loops. That the kernel is asked to cork: {@code KernelFlagsTest}.
 */
class TcpNopushTest {
    @TempDir static Path root;
    static byte[] big;
    static TestServer plain;

    @BeforeAll static void start() throws IOException {
        big = new byte[1024 * 1024 + 3];
        new Random(7).nextBytes(big);
        Files.write(root.resolve("big.bin"), big);
        Files.writeString(root.resolve("small.txt"), "small\n");
        plain = TestServer.start(TestServer.config(root, "reactor").with(b -> b.accessLog(false).tcpNopush(false)));
    }

    @AfterAll static void stop() { if (plain != null) plain.close(); }

    @ParameterizedTest
    @ValueSource(strings = {"reactor", "selector/epoll-et", "selector/epoll-oneshot/2"})
    void corkedResponsesAreTheSameBytes(String model) throws IOException {
        byte[] expected = exchange(plain);
        try (TestServer corked = TestServer.start(TestServer.config(root, model).with(b -> b.accessLog(false).tcpNopush(true)))) {
            byte[] got = exchange(corked);
            assertTrue(got.length > 3 * big.length, "three whole copies and more: " + got.length);
            assertEquals(withoutDates(expected), withoutDates(got));
        }
    }

    /** Everything one keep-alive connection receives for the run of requests. */
    private static byte[] exchange(TestServer s) throws IOException {
        String host = "Host: t\r\n";
        try (RawClient c = s.connect()) {
            c.send("GET /big.bin HTTP/1.1\r\n" + host + "\r\n"
                    + "HEAD /big.bin HTTP/1.1\r\n" + host + "\r\n"
                    + "GET /big.bin HTTP/1.1\r\n" + host + "Range: bytes=100-200000\r\n\r\n"
                    + "GET /big.bin HTTP/1.1\r\n" + host + "Range: bytes=0-10,500000-600000\r\n\r\n"
                    + "GET /small.txt HTTP/1.1\r\n" + host + "\r\n"
                    + "GET /big.bin HTTP/1.1\r\n" + host + "\r\n"
                    + "GET /big.bin HTTP/1.1\r\n" + host + "Connection: close\r\n\r\n");
            return c.readToEnd();
        }
    }

    /** The bytes as text, Date fields and multipart boundaries (random per response) blanked. */
    private static String withoutDates(byte[] b) {
        return new String(b, StandardCharsets.ISO_8859_1).replaceAll("Date: [^\r]*\r\n", "Date: -\r\n")
                .replaceAll("boundary=[0-9a-f]{32}", "boundary=-").replaceAll("--[0-9a-f]{32}", "--");
    }
}
