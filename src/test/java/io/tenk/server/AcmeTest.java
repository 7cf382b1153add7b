package io.tenk.server;

import io.tenk.TenkServer;
import io.tenk.config.ConfigFile;
import io.tenk.config.ServerConfig;
import io.tenk.observe.AccessLog;
import io.tenk.observe.ErrorLog;
import io.tenk.support.Await;
import io.tenk.support.HttpReply;
import io.tenk.support.RawClient;
import io.tenk.support.TestCerts;
import io.tenk.tls.PemFiles;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.KeyManager;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Certificates by ACME, end to end against Pebble (Let's Encrypt's test CA, Debian's
 * {@code pebble}), all on 127.0.0.1: tenk obtains a certificate for {@code localhost} by HTTP-01
 * answered on its own plain listener, serves it, renews it without a restart when little of its
 * (short) lifetime is left, and when the CA stops answering, logs one line and goes on serving the
 * certificate it has. Without the CA, a site serves a temporary certificate.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class AcmeTest {
    /** Pebble's certificates live this long (seconds): renewal comes after two thirds of it. */
    private static final int VALIDITY = 6;
    private static final Duration PATIENCE = Duration.ofSeconds(20);

    @TempDir static Path dir;
    static TestCerts certs;
    static Path root;

    @BeforeAll static void site() throws IOException {
        root = Files.createDirectories(dir.resolve("www"));
        Files.writeString(root.resolve("hello.txt"), "hello over ACME\n");
        certs = new TestCerts(dir);
    }

    /** A server with one ACME site, {@code localhost}, on a plain and an HTTPS listener on 127.0.0.1. */
    private static TenkServer start(int directoryPort, String retry, Path storage, ByteArrayOutputStream log) throws IOException {
        String toml = """
                [server]
                listen = ["127.0.0.1:0", "https://127.0.0.1:0"]
                access_log = false

                [acme]
                directory = "https://127.0.0.1:%d/dir"
                email = "admin@example.test"
                storage = "%s"
                ca = "%s"
                retry = "%s"

                [[site]]
                names = ["localhost"]
                root = "www"
                tls = "acme"
                """.formatted(directoryPort, storage, certs.caFile(), retry);
        ServerConfig cfg = ConfigFile.load(Files.writeString(dir.resolve("tenk-" + directoryPort + ".toml"), toml), ServerConfig.defaults(root));
        return TenkServer.start(cfg, AccessLog.disabled(), new ErrorLog(new PrintStream(log, true, StandardCharsets.UTF_8), false));
    }

    @Test void withoutTheCaASiteServesATemporaryCertificateAndSaysWhy() throws Exception {
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        int nobody = freePort();
        try (TenkServer s = start(nobody, "1h", dir.resolve("store-none"), log)) {
            InetSocketAddress plain = s.addresses().get(0), secure = s.addresses().get(1);
            X509Certificate temporary = leaf(secure, trustingAll());
            assertTrue(temporary.getSubjectX500Principal().getName().contains("O=tenk temporary"), temporary.getSubjectX500Principal().getName());
            assertEquals(temporary.getSubjectX500Principal(), temporary.getIssuerX500Principal());
            Await.until(() -> !log.toString(StandardCharsets.UTF_8).isEmpty(), PATIENCE, "the failure logged");
            List<String> lines = log.toString(StandardCharsets.UTF_8).lines().toList();
            assertEquals(1, lines.size(), lines.toString());
            assertTrue(lines.getFirst().contains(" error acme: no certificate for localhost from 127.0.0.1 (next try in 1h): "), lines.getFirst());
            assertTrue(lines.getFirst().toLowerCase(java.util.Locale.ROOT).contains("connection refused"), lines.getFirst());
            try (RawClient c = new RawClient(plain)) {
                assertEquals(404, c.send("GET /.well-known/acme-challenge/unknown HTTP/1.1\r\nHost: localhost\r\n\r\n").read().status());
                assertEquals(308, c.send("GET /hello.txt HTTP/1.1\r\nHost: localhost\r\n\r\n").read().status());
            }
        }
    }

    @Test void obtainsRenewsAndOutlivesTheCa() throws Exception {
        Path pebble = onPath("pebble");
        Assumptions.assumeTrue(pebble != null, "pebble is not installed (apt-get install pebble): the ACME test needs it");
        int acmePort = freePort(), managementPort = freePort();
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        Path storage = dir.resolve("store");
        try (TenkServer s = start(acmePort, "100ms", storage, log)) {
            InetSocketAddress plain = s.addresses().get(0), secure = s.addresses().get(1);
            Process ca = startPebble(pebble, acmePort, managementPort, plain.getPort());
            try {
                SSLContext trustingPebble = trusting(pebbleRoot(managementPort));
                // the first certificate: the handshake verifies it against Pebble's root, for the name asked
                AtomicReference<X509Certificate> first = new AtomicReference<>();
                try {
                    Await.until(() -> {
                        first.set(tryLeaf(secure, trustingPebble));
                        return first.get() != null;
                    }, PATIENCE, "a certificate from Pebble");
                } catch (AssertionError e) {
                    throw new AssertionError(e.getMessage() + "\ntenk:\n" + log.toString(StandardCharsets.UTF_8)
                            + "pebble:\n" + Files.readString(dir.resolve("pebble.log")), e);
                }
                try (RawClient c = new RawClient(connect(secure, trustingPebble))) {
                    HttpReply r = c.send("GET /hello.txt HTTP/1.1\r\nHost: localhost\r\n\r\n").read();
                    assertEquals("hello over ACME\n", r.bodyText());
                }
                Path stored = storage.resolve("acme").resolve("127.0.0.1-" + acmePort);
                for (Path key : List.of(stored.resolve("account-key.pem"), stored.resolve("localhost/key.pem"))) {
                    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(key)), key.toString());
                }
                assertEquals(first.get().getSerialNumber(),
                        PemFiles.readChain(stored.resolve("localhost/chain.pem")).getFirst().getSerialNumber());
                // a server started now serves the stored certificate from its first handshake, not a temporary one
                try (TenkServer again = start(acmePort, "1h", storage, new ByteArrayOutputStream())) {
                    X509Certificate atStart = leaf(again.addresses().get(1), trustingAll());
                    assertTrue(atStart.getIssuerX500Principal().getName().contains("Pebble"), atStart.getIssuerX500Principal().getName());
                }

                // renewed without a restart once two thirds of its lifetime have passed
                BigInteger firstSerial = first.get().getSerialNumber();
                AtomicReference<BigInteger> renewed = new AtomicReference<>();
                Await.until(() -> {
                    X509Certificate now = tryLeaf(secure, trustingPebble);
                    renewed.set(now == null ? null : now.getSerialNumber());
                    return renewed.get() != null && !renewed.get().equals(firstSerial);
                }, PATIENCE, "a renewed certificate");
                assertNotEquals(firstSerial, renewed.get());
            } finally {
                ca.destroy();
                assertTrue(ca.waitFor(10, TimeUnit.SECONDS));
            }

            // the CA gone: at the next renewal, one line, and the certificate in use stays
            BigInteger serving = leaf(secure, trustingAll()).getSerialNumber();
            long before = log.toString(StandardCharsets.UTF_8).lines().count();
            Await.until(() -> log.toString(StandardCharsets.UTF_8).lines().skip(before).anyMatch(l -> l.contains(" error acme: ")),
                    PATIENCE, "the renewal failure logged");
            String failure = log.toString(StandardCharsets.UTF_8).lines().skip(before)
                    .filter(l -> l.contains(" error acme: ")).findFirst().orElseThrow();
            assertTrue(failure.contains("no certificate for localhost from 127.0.0.1 (next try in "), failure);
            assertTrue(failure.contains(", the current one stays): "), failure);
            assertEquals(serving, leaf(secure, trustingAll()).getSerialNumber());
            for (String line : log.toString(StandardCharsets.UTF_8).lines().toList()) {
                assertTrue(line.matches("\\d{4}-\\d\\d-\\d\\dT\\S+ (info|error) acme: .*"), line); // one line each, no trace
            }
        }
    }

    /** Pebble on 127.0.0.1, validating HTTP-01 on tenk's plain port; returns once it accepts connections. */
    private static Process startPebble(Path pebble, int acmePort, int managementPort, int httpPort) throws Exception {
        var pem = certs.issue("pebble-https", "localhost");
        String json = """
                {"pebble": {"listenAddress": "127.0.0.1:%d", "managementListenAddress": "127.0.0.1:%d",
                  "certificate": "%s", "privateKey": "%s", "httpPort": %d, "tlsPort": %d,
                  "ocspResponderURL": "", "externalAccountBindingRequired": false, "certificateValidityPeriod": %d}}
                """.formatted(acmePort, managementPort, pem.cert(), pem.key(), httpPort, freePort(), VALIDITY);
        Path config = Files.writeString(dir.resolve("pebble.json"), json);
        ProcessBuilder pb = new ProcessBuilder(pebble.toString(), "-config", config.toString(), "-strict=false")
                .redirectErrorStream(true).redirectOutput(dir.resolve("pebble.log").toFile());
        pb.environment().put("PEBBLE_VA_NOSLEEP", "1");
        pb.environment().put("PEBBLE_VA_ALWAYS_VALID", "0");
        pb.environment().put("PEBBLE_WFE_NONCEREJECT", "0");
        pb.environment().put("PEBBLE_AUTHZREUSE", "0");
        Process p = pb.start();
        Await.until(() -> {
            if (!p.isAlive()) throw new AssertionError("pebble exited: " + Files.readString(dir.resolve("pebble.log")));
            return accepts(acmePort) && accepts(managementPort);
        }, PATIENCE, "pebble listening");
        return p;
    }

    /** Pebble's issuing root (made anew at each start), from its management interface. */
    private static X509Certificate pebbleRoot(int managementPort) throws Exception {
        HttpClient c = HttpClient.newBuilder().sslContext(certs.clientContext()).build();
        String pem = c.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + managementPort + "/roots/0")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        Path file = Files.writeString(dir.resolve("pebble-root.pem"), pem);
        return PemFiles.readChain(file).getFirst();
    }

    /** A TLS connection to {@code to} for {@code localhost}, the name checked against the certificate. */
    private static SSLSocket connect(InetSocketAddress to, SSLContext trust) throws IOException {
        Socket plain = new Socket(to.getAddress(), to.getPort());
        SSLSocket s = (SSLSocket) trust.getSocketFactory().createSocket(plain, "localhost", to.getPort(), true);
        s.setSoTimeout(5000);
        SSLParameters p = s.getSSLParameters();
        p.setServerNames(List.of(new SNIHostName("localhost")));
        p.setEndpointIdentificationAlgorithm("HTTPS");
        s.setSSLParameters(p);
        s.startHandshake();
        return s;
    }

    private static X509Certificate leaf(InetSocketAddress to, SSLContext trust) throws IOException {
        try (SSLSocket s = connect(to, trust)) {
            return (X509Certificate) s.getSession().getPeerCertificates()[0];
        }
    }

    /** The certificate a new handshake gets, or null while it is not one {@code trust} accepts. */
    private static X509Certificate tryLeaf(InetSocketAddress to, SSLContext trust) throws IOException {
        try {
            return leaf(to, trust);
        } catch (javax.net.ssl.SSLHandshakeException e) {
            return null;
        }
    }

    private static SSLContext trusting(X509Certificate root) throws Exception {
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        store.load(null, null);
        store.setCertificateEntry("pebble", root);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(store);
        SSLContext c = SSLContext.getInstance("TLS");
        c.init(null, tmf.getTrustManagers(), null);
        return c;
    }

    /** A client that accepts any certificate: for looking at what is served, not for trusting it. */
    private static SSLContext trustingAll() throws Exception {
        SSLContext c = SSLContext.getInstance("TLS");
        c.init(new KeyManager[0], new TrustManager[] {new X509TrustManager() {
            @Override public void checkClientTrusted(X509Certificate[] chain, String authType) { }
            @Override public void checkServerTrusted(X509Certificate[] chain, String authType) { }
            @Override public X509Certificate[] getAcceptedIssuers() { return new X509Certificate[0]; }
        }}, null);
        return c;
    }

    private static boolean accepts(int port) {
        try (Socket s = new Socket("127.0.0.1", port)) {
            return s.isConnected();
        } catch (IOException e) {
            return false;
        }
    }

    /** A port free on 127.0.0.1 now (for Pebble, whose configuration needs numbers). */
    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            return s.getLocalPort();
        }
    }

    private static Path onPath(String command) {
        for (String d : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path p = Path.of(d, command);
            if (Files.isExecutable(p)) return p;
        }
        return null;
    }

}
