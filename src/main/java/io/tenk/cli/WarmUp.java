package io.tenk.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * The training run behind the launcher's ahead-of-time cache ({@code --warm-up N}): the server,
 * once listening, is sent the requests a browser sends for a site (pages, conditional and range
 * requests, compressed and HEAD, a missing file, a directory, pipelined keep-alive), {@code N}
 * rounds of them, over plain sockets of this process; then it stops. Whatever the JVM loaded,
 * linked and profiled for them is what the cache keeps, so a normal start skips that work.
 */
final class WarmUp {
    private WarmUp() {}

    private static final String[] PATHS = {"/", "/index.html", "/about.html", "/css/", "/missing.html", "/img/"};

    /** Starts the round trips on a thread of their own, then runs {@code stop}. */
    static void thenStop(InetSocketAddress server, int rounds, Runnable stop, PrintStream err) {
        Thread.ofPlatform().name("tenk-warm-up").start(() -> {
            try {
                for (int i = 0; i < rounds; i++) round(server);
            } catch (IOException e) {
                err.println("tenk: warm-up: " + e.getMessage());
            } finally {
                stop.run();
            }
        });
    }

    private static void round(InetSocketAddress server) throws IOException {
        StringBuilder pipelined = new StringBuilder();
        for (String path : PATHS) {
            pipelined.append(request("GET", path, ""));
            pipelined.append(request("GET", path, "Accept-Encoding: gzip, br\r\n"));
        }
        pipelined.append(request("HEAD", "/", ""));
        pipelined.append(request("GET", "/", "Range: bytes=0-99\r\n"));
        pipelined.append(request("GET", "/", "If-Modified-Since: Thu, 01 Jan 2099 00:00:00 GMT\r\n"));
        pipelined.append(request("GET", "/%7e", ""));
        pipelined.append(request("GET", "/", "Connection: close\r\n"));
        exchange(server, pipelined.toString());
        exchange(server, "BREW / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"); // refused: 501
    }

    private static String request(String method, String path, String fields) {
        return method + " " + path + " HTTP/1.1\r\nHost: localhost\r\nUser-Agent: tenk-warm-up\r\n" + fields + "\r\n";
    }

    /** Sends {@code requests} on one connection and reads until the server closes it. */
    private static void exchange(InetSocketAddress server, String requests) throws IOException {
        try (Socket s = new Socket(server.getAddress(), server.getPort())) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write(requests.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            in.transferTo(OutputStream.nullOutputStream());
        }
    }
}
