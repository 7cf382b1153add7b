package io.tenk.fleet;

import io.tenk.support.ChildJvm;
import io.tenk.support.RawClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static io.tenk.fleet.Fleet.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Socket activation as systemd does it, with {@code systemd-socket-activate} holding the listening
 * socket (as {@code tenk.socket} does) and a shell loop as the service manager restarting tenk
 * with the socket on standard input (as {@code StandardInput=socket} does). The first request,
 * sent before tenk runs, starts it and is served; a client sending one request per connection
 * all along sees not one fail while tenk gets SIGTERM and a new one takes over the same socket.
 */
class SocketActivationTest {
    @TempDir Path dir;

    /** Restarts tenk until the stop file exists; each start gets the socket (fd 3) as stdin and LISTEN_PID set to itself. */
    static final String SUPERVISOR = "while [ ! -e \"$0\" ]; do bash -c 'export LISTEN_PID=$$; exec \"$@\" <&3 3<&-' tenk \"$@\"; done";

    @Test void servesOnTheInheritedSocketAndLosesNoConnectionAcrossARestart() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/systemd-socket-activate")),
                "systemd-socket-activate is not installed (apt-get install systemd)");
        Path root = Files.createDirectories(dir.resolve("site"));
        Files.writeString(root.resolve("a.txt"), "alpha");
        int port = Fleet.freePort();
        Path stop = dir.resolve("stop");
        List<String> cmd = new ArrayList<>(List.of("systemd-socket-activate", "-l", "127.0.0.1:" + port,
                "bash", "-c", SUPERVISOR, stop.toString(),
                "-q", "-d", root.toString(), "-p", "1")); // a port it does not bind: the inherited socket is used instead
        cmd.addAll(7, java());
        Process manager = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("out.txt").toFile()).start();
        Path out = dir.resolve("out.txt");
        await(() -> Files.readString(out).contains("Listening on"), "the socket open, tenk not started yet");
        InetSocketAddress at = new InetSocketAddress("127.0.0.1", port);
        AtomicLong served = new AtomicLong();
        AtomicReference<String> failure = new AtomicReference<>();
        Thread client = Thread.ofPlatform().daemon().start(() -> {
            while (!Thread.currentThread().isInterrupted() && failure.get() == null) {
                try (RawClient c = new RawClient(at, 30_000)) {
                    int status = c.send("GET /a.txt HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").read().status();
                    if (status != 200) failure.set("status " + status);
                    served.incrementAndGet();
                } catch (IOException e) {
                    if (!Thread.currentThread().isInterrupted()) failure.set(e.toString());
                }
            }
        });
        try {
            await(() -> served.get() >= 1 || failure.get() != null, "the first request (it starts tenk)");
            assertEquals(null, failure.get(), "the first request, sent before tenk ran");
            await(() -> tenk(manager).isPresent(), "tenk under the manager");
            ProcessHandle first = tenk(manager).orElseThrow();
            long before = served.get();
            first.destroy(); // SIGTERM
            assertTrue(first.onExit().get(30, TimeUnit.SECONDS) != null);
            await(() -> tenk(manager).isPresent(), "tenk started again");
            ProcessHandle second = tenk(manager).orElseThrow();
            assertNotEquals(first.pid(), second.pid());
            await(() -> served.get() >= before + 50 || failure.get() != null, "the new tenk serving");
            client.interrupt();
            client.join(Duration.ofSeconds(35));
            System.out.printf("SocketActivationTest: %d requests, one connection each, across the restart%n", served.get());
            assertEquals(null, failure.get(), "a request failed; " + Files.readString(out));
            assertTrue(Files.readString(out).contains("http://127.0.0.1:" + port + "/"),
                    "the start line names the inherited socket's address");
        } finally {
            client.interrupt();
            Files.writeString(stop, "");
            tenk(manager).ifPresent(ProcessHandle::destroy);
            if (!manager.waitFor(30, TimeUnit.SECONDS)) {
                manager.descendants().forEach(ProcessHandle::destroyForcibly);
                manager.destroyForcibly();
            }
        }
    }

    /** LISTEN_PID names tenk but standard input is no listening socket: one line that says what to set, exit 1. */
    @Test void withoutTheSocketOnStandardInputSaysWhatToSet() throws Exception {
        Path root = Files.createDirectories(dir.resolve("site"));
        List<String> cmd = new ArrayList<>(List.of("bash", "-c", "export LISTEN_PID=$$ LISTEN_FDS=1; exec \"$@\" </dev/null", "tenk"));
        cmd.addAll(java());
        cmd.addAll(List.of("-q", "-d", root.toString(), "-p", "0"));
        Process p = new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        String err = new String(p.getErrorStream().readAllBytes()).strip();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(1, p.exitValue(), err);
        assertEquals("tenk: cannot start: socket activation: standard input is not the listening socket"
                + " (set StandardInput=socket in the .service unit)", err);
    }

    /**
     * packaging/systemd's tenk.socket and drop-in, with the packaged tenk.service, pass
     * {@code systemd-analyze verify} without a word (the drop-in merged by hand: verify reads no drop-ins).
     */
    @Test void unitFilesVerify() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/systemd-analyze")), "systemd-analyze is not installed (apt-get install systemd)");
        String dropIn = Files.readString(Path.of("packaging/systemd/tenk.service.d/socket.conf"));
        assertTrue(dropIn.lines().anyMatch("StandardInput=socket"::equals), dropIn);
        String service = Files.readString(Path.of("packaging/debian/tenk.service"))
                .replace("/usr/bin/tenk", "/bin/true") // verify wants the command to exist
                .replaceFirst("\\[Unit]\n", "[Unit]\nRequires=tenk.socket\nAfter=tenk.socket\n")
                .replaceFirst("\\[Service]\n", "[Service]\nStandardInput=socket\n");
        Files.writeString(dir.resolve("tenk.service"), service);
        Files.copy(Path.of("packaging/systemd/tenk.socket"), dir.resolve("tenk.socket"));
        Process p = new ProcessBuilder("systemd-analyze", "verify", "./tenk.socket", "./tenk.service")
                .directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(2, TimeUnit.MINUTES));
        assertEquals(0, p.exitValue(), out);
        assertEquals("", out.strip());
    }

    /** The command that runs tenk. */
    private static List<String> java() {
        return ChildJvm.command(List.of());
    }

    /** The tenk JVM under the manager, if one runs now. */
    private static Optional<ProcessHandle> tenk(Process manager) {
        return manager.descendants().filter(p -> p.isAlive()
                && p.info().command().map(c -> c.endsWith("/java")).orElse(false)).findFirst();
    }
}
