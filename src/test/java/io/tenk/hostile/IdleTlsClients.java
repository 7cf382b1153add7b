package io.tenk.hostile;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import java.io.FileInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.ArrayList;
import java.util.List;

/**
 * A process of its own that opens TLS keep-alive connections to 127.0.0.1:PORT (trusting the CA
 * in CA_FILE), makes one request on each and holds them all until its input ends: idle TLS
 * connections whose client side is not in the measured JVM's heap. It opens them in batches of
 * N1, N2, ...: after each batch it prints "ready" and, but after the last, waits for a line on
 * its input before the next. Usage: {@code IdleTlsClients PORT CA_FILE N1 [N2 ...]}.
 */
public final class IdleTlsClients {
    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        try (InputStream in = new FileInputStream(args[1])) {
            trust.setCertificateEntry("ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        byte[] get = "GET /a.txt HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1);
        List<SSLSocket> held = new ArrayList<>();
        java.io.BufferedReader input = new java.io.BufferedReader(new java.io.InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (int batch = 2; batch < args.length; batch++) {
            if (batch > 2 && input.readLine() == null) break;
            open(ctx, port, get, Integer.parseInt(args[batch]), held);
            System.out.println("ready");
            System.out.flush();
        }
        while (input.readLine() != null) { /* until the test closes our input */ }
        for (SSLSocket s : held) s.close();
    }

    private static void open(SSLContext ctx, int port, byte[] get, int n, List<SSLSocket> held) throws java.io.IOException {
        for (int i = 0; i < n; i++) {
            SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket("127.0.0.1", port);
            s.setSoTimeout(10_000);
            s.getOutputStream().write(get);
            InputStream in = s.getInputStream();
            String head = "";
            while (!head.endsWith("alpha\n")) {
                int b = in.read();
                if (b < 0) throw new IllegalStateException("closed after " + head);
                head += (char) b;
            }
            held.add(s);
        }
    }
}
