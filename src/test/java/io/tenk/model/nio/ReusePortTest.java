package io.tenk.model.nio;

import io.tenk.support.Await;
import io.tenk.support.HttpReply;
import io.tenk.support.RawClient;
import io.tenk.support.TestServer;
import io.tenk.config.SelectorKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code reactor --reuseport on}: every loop listens on a socket of its own on the one port
 * (the kernel shows that many listening sockets on it), every new connection is served whichever
 * socket the kernel gave it to, and stopping closes them all. Without the option: one socket.
 */
class ReusePortTest {
    @TempDir static Path root;

    @Test void eachLoopListensOnItsOwnSocketOfThePort() throws Exception {
        Files.writeString(root.resolve("index.html"), "hello\n");
        int port;
        try (TestServer s = TestServer.start(TestServer.config(root, "reactor").with(b -> b.accessLog(false).threads(3).listenPerLoop(true)))) {
            port = s.address().getPort();
            assertEquals(3, listeningSockets(port), "one listening socket per loop");
            for (int i = 0; i < 60; i++) {
                try (RawClient c = s.connect()) {
                    c.send("GET /index.html HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n");
                    HttpReply r = c.read();
                    assertEquals(200, r.status());
                    assertEquals("hello\n", r.bodyText());
                }
            }
        }
        Await.until(() -> listeningSockets(port) == 0, Duration.ofSeconds(10), "every listening socket closed at stop");
    }

    /**
     * Without {@code --reuseport}, loops that watch bare descriptors with epoll all watch the one
     * listening socket (EPOLLEXCLUSIVE: the kernel wakes one of them per connection) and accept
     * for themselves; the JDK's Selector ({@code epoll}) and poll(2) cannot, so an acceptor thread hands its loops their
     * connections. Either way one socket, every connection served, the socket closed at stop.
     */
    @ParameterizedTest @ValueSource(strings = {"epoll-lt", "epoll-et", "epoll-oneshot", "epoll", "native-poll"})
    void withoutReusePortTheLoopsShareOneSocket(String selector) throws Exception {
        Files.writeString(root.resolve("index.html"), "hello\n");
        int port;
        try (TestServer s = TestServer.start(TestServer.config(root, "reactor").with(b -> b.accessLog(false).threads(3)
                .selector(SelectorKind.parse(selector))))) {
            port = s.address().getPort();
            assertEquals(1, listeningSockets(port), "one listening socket");
            assertEquals(!selector.startsWith("epoll-"), acceptorRunning(port), "an acceptor thread only where the loops cannot share the socket");
            List<RawClient> open = new ArrayList<>();
            try {
                for (int i = 0; i < 30; i++) open.add(s.connect()); // held open while more come
                for (RawClient c : open) c.send("GET /index.html HTTP/1.1\r\nHost: t\r\n\r\n");
                for (RawClient c : open) {
                    HttpReply r = c.read();
                    assertEquals(200, r.status());
                    assertEquals("hello\n", r.bodyText());
                }
            } finally {
                for (RawClient c : open) c.close();
            }
        }
        Await.until(() -> listeningSockets(port) == 0, Duration.ofSeconds(10), "the listening socket closed at stop");
        assertFalse(acceptorRunning(port));
    }

    /** Whether the acceptor thread of the reactor on {@code port} runs (other tests' servers may run beside). */
    private static boolean acceptorRunning(int port) {
        String name = "tenk-reactor-accept-" + port;
        return Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.getName().equals(name) && t.isAlive());
    }

    /** Sockets in LISTEN on {@code port}, from the kernel's tables (IPv4 and IPv6). */
    static int listeningSockets(int port) throws IOException {
        String local = String.format(":%04X", port);
        int n = 0;
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            Path p = Path.of(table);
            if (!Files.isReadable(p)) continue;
            for (String line : Files.readAllLines(p)) {
                String[] f = line.trim().split("\\s+");
                if (f.length > 3 && f[1].endsWith(local) && f[3].equals("0A")) n++; // 0A: LISTEN
            }
        }
        return n;
    }
}
