package io.tenk.cli;

import io.tenk.support.ChildJvm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.RandomAccessFile;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A real process stopped from the terminal: Ctrl-C (SIGINT) says what it waits for, a second
 * one stops at once with exit code 130, a drain that finishes exits 0; and the start line's URLs
 * and {@code --open}.
 */
class StopProcessTest {
    @TempDir Path root;
    @TempDir Path tools;

    /** The server's stdout, line by line, read on its own thread so a test never blocks on it. */
    record Running(Process process, BlockingQueue<String> lines) {
        String next() throws InterruptedException {
            String l = lines.poll(60, TimeUnit.SECONDS);
            assertNotNull(l, "a line within 60 s (a JVM starting on a loaded machine)");
            return l;
        }

        void signal(String name) throws Exception {
            assertEquals(0, new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).start().waitFor());
        }

        List<String> rest() {
            List<String> all = new ArrayList<>();
            lines.drainTo(all);
            all.remove(END);
            return all;
        }
    }

    private static final String END = "\u0000end";

    Running start(List<String> env, String... args) throws IOException {
        List<String> cmd = new ArrayList<>();
        // a process started in the background may inherit SIGINT ignored; a terminal's never is
        if (Files.isExecutable(Path.of("/usr/bin/env"))) cmd.addAll(List.of("/usr/bin/env", "--default-signal=INT"));
        cmd.addAll(env);
        cmd.addAll(ChildJvm.command(List.of()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        Thread.ofVirtual().start(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String l; (l = r.readLine()) != null; ) lines.add(l);
            } catch (IOException e) {
                // the process ended
            }
            lines.add(END);
        });
        return new Running(p, lines);
    }

    @Test void ctrlCTwiceStopsAtOnceWhileADownloadIsInFlight() throws Exception {
        try (RandomAccessFile f = new RandomAccessFile(root.resolve("big.bin").toFile(), "rw")) {
            f.setLength(256L << 20);
        }
        Path opened = tools.resolve("opened.txt");
        Path browser = tools.resolve("browser");
        Files.writeString(browser, "#!/bin/sh\necho \"$1\" > '" + opened + "'\n");
        Files.setPosixFilePermissions(browser, PosixFilePermissions.fromString("rwxr-xr-x"));
        Running s = start(List.of("BROWSER=" + browser), "-p", "0", "-d", root.toString(), "--open");
        try {
            String first = s.next();
            Matcher m = Pattern.compile("^tenk: serving .* on (http://127\\.0\\.0\\.1:(\\d+)/); Ctrl-C stops$").matcher(first);
            assertTrue(m.find(), "one URL, no model name for the default model: " + first);
            awaitFile(opened, m.group(1));
            try (Socket slow = new Socket()) {
                slow.setReceiveBufferSize(4096);
                slow.connect(new InetSocketAddress("127.0.0.1", Integer.parseInt(m.group(2))));
                slow.getOutputStream().write("GET /big.bin HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                assertTrue(slow.getInputStream().readNBytes(12).length == 12, "the response has begun");
                s.signal("INT");
                assertEquals("tenk: stopping: 1 response in flight; Ctrl-C again to stop now", s.next());
                s.signal("INT");
                assertTrue(s.process().waitFor(20, TimeUnit.SECONDS), "a second Ctrl-C stops at once");
            }
            assertEquals(130, s.process().exitValue());
            List<String> rest = s.rest();
            assertEquals("tenk: stopped now (responses in flight were cut short)", rest.getLast(), rest.toString());
        } finally {
            s.process().destroyForcibly();
        }
    }

    @Test void ctrlCOnceLetsResponsesFinishAndExits0() throws Exception {
        Files.writeString(root.resolve("index.html"), "hello\n");
        Running s = start(List.of(), "-p", "0", "-b", "0.0.0.0", "-d", root.toString(), "--model", "virtual");
        try {
            assertEquals("tenk: serving " + root.toAbsolutePath().normalize() + " (model virtual); Ctrl-C stops", s.next());
            String local = s.next();
            Matcher m = Pattern.compile("^  Local: {3}(http://127\\.0\\.0\\.1:\\d+/)$").matcher(local);
            assertTrue(m.find(), "a wildcard bind lists the loopback URL first: " + local);
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(m.group(1))).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode());
            // the client can read the response before the server has counted it finished: its
            // access line comes just before that, so wait for it
            while (!s.next().contains("\"GET / HTTP/1.1\" 200 6")) {
                // the lines before it (the other URLs the start prints)
            }
            s.signal("INT");
            assertTrue(s.process().waitFor(20, TimeUnit.SECONDS), "nothing in flight: it stops");
            assertEquals(0, s.process().exitValue());
            List<String> rest = s.rest();
            assertTrue(rest.contains("tenk: stopping; Ctrl-C again to stop now"), rest.toString());
            assertEquals("tenk: stopped", rest.getLast(), rest.toString());
        } finally {
            s.process().destroyForcibly();
        }
    }

    private static void awaitFile(Path f, String content) throws Exception {
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (!(Files.exists(f) && Files.readString(f).strip().equals(content))) {
            assertTrue(System.nanoTime() < deadline, "--open ran $BROWSER with " + content);
            Thread.sleep(20);
        }
    }
}
