package io.tenk.server;

import io.tenk.config.TlsConfig;
import io.tenk.support.Await;
import io.tenk.support.ChildServer;
import io.tenk.support.TestCerts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLSocket;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A cap on TLS handshakes under way at once (a flood of ClientHellos must not fill the heap):
 * with the limit set to two, two clients that stop after a handshake's first bytes hold both
 * slots, a third client's handshake is refused (its connection closed), and once the two go,
 * handshakes are served again. A server in a JVM of its own, so the limit is its own.
 */
class HandshakeSlotsTest {
    @TempDir Path dir;

    /** The first bytes of a TLS record carrying a ClientHello, and no more. */
    static final byte[] HELLO_START = {0x16, 0x03, 0x01, 0x01, 0x00, 0x01, 0x00, 0x00, (byte) 0xfc, 0x03, 0x03};

    @Test void pastTheLimitANewHandshakeIsRefusedAndTheOthersGoOn() throws Exception {
        Path root = Files.createDirectories(dir.resolve("site"));
        Files.writeString(root.resolve("index.html"), "tls\n");
        TestCerts certs = new TestCerts(dir);
        TlsConfig tls = certs.issue("server");
        try (ChildServer s = ChildServer.start(dir, root, List.of("-Dtenk.tls.maxHandshakes=2"),
                List.of("--tls-cert", tls.cert().toString(), "--tls-key", tls.key().toString(), "--header-timeout", "60s"), true)) {
            InetSocketAddress at = s.address();
            try (Socket a = new Socket(at.getAddress(), at.getPort()); Socket b = new Socket(at.getAddress(), at.getPort())) {
                for (Socket stalled : List.of(a, b)) {
                    OutputStream out = stalled.getOutputStream();
                    out.write(HELLO_START);
                    out.flush();
                }
                // once the server has read both, a third handshake finds no slot
                Await.until(() -> !handshakes(certs, at), Duration.ofSeconds(30), "a handshake past the limit is refused");
            }
            // the stalled two are gone: their slots are free again
            Await.until(() -> handshakes(certs, at), Duration.ofSeconds(30), "handshakes are served once slots are free");
            assertTrue(handshakes(certs, at));
        }
    }

    /** Whether a full handshake with the server completes. */
    static boolean handshakes(TestCerts certs, InetSocketAddress at) {
        try (SSLSocket c = certs.connectFresh(at, "localhost")) {
            c.setSoTimeout(10_000);
            return c.getSession().isValid();
        } catch (IOException e) {
            return false;
        }
    }
}
