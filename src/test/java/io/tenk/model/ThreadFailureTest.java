package io.tenk.model;

import io.tenk.support.ChildServer;
import io.tenk.support.HttpReply;
import io.tenk.support.RawClient;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What an {@link Error} does to each model (the policy of {@link io.tenk.conn.Fatal}), with the
 * server as a child process started with {@code -Dtenk.faults=on}: a handler's
 * {@code StackOverflowError} or own {@code Error} is a 500 and the server goes on; a
 * {@code VirtualMachineError} ends the process with status 1 and exactly one error line, never
 * leaving the port open and unserved; under prefork the master replaces that worker and the
 * port keeps answering.
 */
@Execution(ExecutionMode.CONCURRENT) // each case has its own server and folder: they run side by side
@org.junit.jupiter.api.Order(9) // a long class, started early (junit-platform.properties)
class ThreadFailureTest {
    @TempDir Path dir;

    private static HttpReply get(ChildServer s, String path) throws IOException {
        try (RawClient c = new RawClient(s.address(), 10_000)) {
            return c.send("GET " + path + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").read();
        }
    }

    @ParameterizedTest @MethodSource("io.tenk.support.AllModels#names")
    void handlerErrorsAreContainedAndAVmErrorEndsTheProcess(String model) throws Exception {
        Path root = Files.createDirectories(dir.resolve("site"));
        Files.writeString(root.resolve("a.txt"), "alpha\n");
        List<String> args = new ArrayList<>(List.of("--model", model));
        if (model.equals("prefork")) args.addAll(List.of("--workers", "2"));
        try (ChildServer s = ChildServer.start(dir, root, List.of("-Dtenk.faults=on"), args)) {
            assertEquals(500, get(s, "/.tenk-fault/stack-overflow").status());
            assertEquals(500, get(s, "/.tenk-fault/error").status());
            assertEquals("alpha\n", get(s, "/a.txt").bodyText());
            List<Long> workers = s.children();

            try {
                get(s, "/.tenk-fault/vm-error"); // the thread that read it is gone: no answer
            } catch (IOException expected) {
                // closed or reset
            }

            if (model.equals("prefork")) {
                masterReplacesTheWorker(s, workers);
            } else {
                assertEquals(1, s.awaitExit(30), "the process exits with status 1");
                List<String> err = s.stderrLines();
                assertEquals(3, err.size(), String.join("\n", err));
                assertTrue(err.get(0).contains(" error request /.tenk-fault/stack-overflow failed"), err.get(0));
                assertTrue(err.get(1).contains(" error request /.tenk-fault/error failed: injected fault"), err.get(1));
                assertTrue(err.get(2).contains(" error ") && err.get(2).endsWith(" failed, stopping the server: injected fault"),
                        err.get(2));
            }
        }
    }

    private static void masterReplacesTheWorker(ChildServer s, List<Long> before) throws Exception {
        assertEquals(2, before.size(), "two workers: " + before);
        long deadline = System.nanoTime() + 30_000_000_000L;
        int failed = 0, answered = 0;
        List<Long> now = before;
        while (System.nanoTime() < deadline && (now.size() < 2 || now.containsAll(before))) {
            try {
                if (get(s, "/a.txt").status() == 200) answered++;
            } catch (IOException e) {
                failed++; // at most a connection caught in the dying worker's queue
            }
            now = s.children();
        }
        assertTrue(now.size() == 2 && !now.containsAll(before), "a worker was replaced: " + before + " → " + now);
        assertTrue(failed <= 2 && answered > 0, "the port kept answering: " + answered + " answered, " + failed + " failed");
        for (int i = 0; i < 5; i++) assertEquals("alpha\n", get(s, "/a.txt").bodyText());
        assertTrue(s.process().isAlive(), "the master goes on");
        List<String> err = s.stderrLines();
        assertEquals(1, err.stream().filter(l -> l.contains("stopping the server")).count(), String.join("\n", err));
        assertTrue(err.stream().anyMatch(l -> l.contains(" warn worker ") && l.endsWith(" exited with status 1; restarting")
                || l.contains(" exited with status 1; restarting in ")), String.join("\n", err));
        assertEquals(3, err.stream().filter(l -> l.contains(" error ")).count(), String.join("\n", err));
    }
}
