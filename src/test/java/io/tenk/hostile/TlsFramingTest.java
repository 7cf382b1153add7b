package io.tenk.hostile;

import io.tenk.config.Listen;
import io.tenk.config.ServerConfig;
import io.tenk.config.Site;
import io.tenk.config.Timeouts;
import io.tenk.config.TlsConfig;
import io.tenk.support.RawClient;
import io.tenk.support.TestCerts;
import io.tenk.support.TestServer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.junit.jupiter.params.provider.Arguments;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * The framing table again over TLS: the same bytes, each hiding a request, sent inside a TLS
 * connection (a fresh full handshake per case) to an event loop and to a thread per
 * connection; the same statuses, never the hidden request. What TLS adds (records that split a
 * head, decrypted bytes waiting in the transport) must not change how a request is framed.
 */
@ResourceLock("framing-statics") // shares FramingTableTest's static state: never run beside it
class TlsFramingTest extends FramingTableTest {
    @TempDir static Path certDir;
    static TestCerts certs;
    static TlsConfig localhost;

    @BeforeAll static void certificates() throws IOException {
        certs = new TestCerts(certDir);
        localhost = certs.issue("localhost");
    }

    static Stream<Arguments> modelCases() {
        List<Case> cases = cases();
        return Stream.of("reactor", "virtual").flatMap(m -> cases.stream().map(k -> Arguments.of(m, k)));
    }

    @Override ServerConfig config(Path root, String model, Timeouts t) {
        return TestServer.config(root, model).with(b -> b.timeouts(t).listen(List.of(new Listen("127.0.0.1", 0, true)))
                .sites(List.of(Site.serving(root).withTls(localhost))));
    }

    @Override RawClient connect(TestServer s) throws IOException {
        return new RawClient(certs.connectFresh(s.address(), "localhost", 4000));
    }
}
