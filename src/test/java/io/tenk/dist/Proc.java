package io.tenk.dist;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * A real process started by a test, its stdout and stderr merged and collected line by line: run a
 * command to its end, or start a tenk server, wait for the URL it prints and stop it with SIGTERM.
 */
final class Proc implements AutoCloseable {
    private static final Pattern URL = Pattern.compile("(http://(?:127\\.0\\.0\\.1|localhost):\\d+/)");
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    private final Process process;
    private final List<String> lines = new ArrayList<>();
    private final Thread reader;

    private Proc(Process process) {
        this.process = process;
        this.reader = Thread.ofPlatform().daemon().start(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    synchronized (lines) {
                        lines.add(line);
                        lines.notifyAll();
                    }
                }
            } catch (IOException ignored) {
                // the process is gone
            }
        });
    }

    /** Starts {@code cmd} in {@code dir}; {@code env} null keeps this JVM's environment, else replaces it. */
    static Proc start(Path dir, Map<String, String> env, List<String> cmd) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true);
        if (env != null) {
            pb.environment().clear();
            pb.environment().putAll(env);
        }
        return new Proc(pb.start());
    }

    /** Runs {@code cmd} in {@code dir} to its end (within {@code limit}) and returns its exit code and output. */
    static Result run(Path dir, Map<String, String> env, Duration limit, List<String> cmd) throws Exception {
        try (Proc p = start(dir, env, cmd)) {
            if (!p.process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) fail("still running after " + limit + ": " + cmd + "\n" + p.output());
            p.reader.join(Duration.ofSeconds(10)); // the pipe closes when the process and its children are gone
            return new Result(p.process.exitValue(), p.output());
        }
    }

    record Result(int code, String output) {}

    /** The base URL the server prints once it listens (http://127.0.0.1:PORT/). */
    URI awaitUrl() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        synchronized (lines) {
            while (true) {
                for (String l : lines) {
                    Matcher m = URL.matcher(l);
                    if (m.find()) return URI.create(m.group(1));
                }
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (left <= 0) fail("no URL printed within 120 s: " + lines);
                if (!reader.isAlive()) fail("exited without printing a URL: " + lines);
                lines.wait(Math.min(left, 200));
            }
        }
    }

    /** GET {@code path} on the server's URL. */
    HttpResponse<String> get(String path) throws Exception {
        return CLIENT.send(HttpRequest.newBuilder(awaitUrl().resolve(path)).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** SIGTERM, then the exit code, which must be 0 (a clean stop). */
    void stopCleanly() throws Exception {
        assertEquals(0, new ProcessBuilder("kill", "-TERM", Long.toString(process.pid())).start().waitFor());
        assertTrue(process.waitFor(30, TimeUnit.SECONDS), "stops after SIGTERM: " + output());
        assertEquals(0, process.exitValue(), output());
    }

    String output() {
        synchronized (lines) {
            return String.join("\n", lines);
        }
    }

    @Override public void close() {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }
}
