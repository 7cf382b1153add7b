package io.tenk.hostile;

import io.tenk.support.AllModels;
import io.tenk.support.ChildJvm;
import io.tenk.support.JvmStarts;
import io.tenk.support.RawClient;
import io.tenk.support.SideBySide;
import io.tenk.support.TestServer;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * EMFILE on accept: a server in a child JVM under {@code ulimit -n 96} runs out of descriptors;
 * it backs off, logs at most once a second, keeps serving the connections it has, and recovers
 * once descriptors are free again. One run per model, the models side by side (each mostly waits
 * for connections that get no answer).
 */
@EnabledOnOs(OS.LINUX)
@org.junit.jupiter.api.Order(4) // a long class, started early (junit-platform.properties)
class DescriptorExhaustionTest {
    @TempDir static Path dirs;

    /** Every model but iterative, four at a time (their JVMs start two at a time: JvmStarts). */
    private static final SideBySide<String> RUNS = new SideBySide<>(
            AllModels.hostile().filter(m -> !m.equals("iterative")).toList(), 4, DescriptorExhaustionTest::exhaust);

    private static String modelFlag(String model) {
        // a pool with more threads than descriptors runs out of descriptors, not threads; prefork's
        // one worker is the process that accepts (a second would be one more JVM doing the same)
        return " " + TestServer.flags(model) + (model.equals("pool") ? " --threads 120" : model.equals("prefork") ? " --workers 1" : "");
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.MethodSource("io.tenk.support.AllModels#hostile")
    void acceptBacksOffAndRecovers(String model) throws Exception {
        org.junit.jupiter.api.Assumptions.assumeFalse(model.equals("iterative"),
                "iterative holds one connection at a time: it never runs out of descriptors on accept");
        RUNS.await(model);
    }

    private static void exhaust(String model) throws Exception {
        Path root = Files.createDirectories(dirs.resolve(model.replace('/', '-')));
        Files.writeString(root.resolve("a.txt"), "alpha\n");
        Path stderr = root.resolve("stderr.txt");
        String cmd = "ulimit -n 96 && exec " + ChildJvm.shellCommand(List.of("-Xmx64m")) + " -p 0 -q" + modelFlag(model) + " --max-connections 10000"
                + " --idle-timeout 120000ms" // the held connections stay open however long a loaded machine takes
                + " -d '" + root.resolve("site") + "'";
        Files.createDirectories(root.resolve("site"));
        JvmStarts.Started started = JvmStarts.process(new ProcessBuilder("bash", "-c", cmd).redirectError(stderr.toFile()));
        Process p = started.process();
        List<RawClient> held = new ArrayList<>();
        try {
            String first = started.first();
            Matcher m = Pattern.compile("127\\.0\\.0\\.1:(\\d+)/").matcher(first == null ? "" : first);
            assertTrue(m.find(), "server started: " + first + " / " + Files.readString(stderr));
            InetSocketAddress addr = new InetSocketAddress("127.0.0.1", Integer.parseInt(m.group(1)));
            long t0 = System.nanoTime();

            // a cold JVM on a loaded machine may answer its first request slowly: wait for it, keep it open
            RawClient warm = new RawClient(addr, 30_000);
            held.add(warm);
            assertEquals(204, warm.send("OPTIONS * HTTP/1.1\r\nHost: x\r\n\r\n").read().status());
            // open connections until the server stops answering new ones and says that its
            // descriptors are gone (a new connection unanswered alone may be a slow answer)
            int answered = 1, unanswered = 0;
            for (int i = 0; i < 200 && unanswered < 3 && !(unanswered > 0 && acceptFailed(stderr)); i++) {
                RawClient c = new RawClient(addr, 3000);
                held.add(c);
                try {
                    assertEquals(204, c.send("OPTIONS * HTTP/1.1\r\nHost: x\r\n\r\n").read().status());
                    answered++;
                } catch (IOException timeout) {
                    unanswered++;
                }
            }
            assertTrue(unanswered > 0, "the descriptor limit was never reached");
            assertTrue(answered > 10, "answered only " + answered);

            // the connections already open are still served
            for (int i = 0; i < 5; i++) {
                assertEquals(204, held.get(i).send("OPTIONS * HTTP/1.1\r\nHost: x\r\n\r\n").read().status());
            }

            // free descriptors: the server recovers
            for (RawClient c : held) c.close();
            held.clear();
            long deadline = System.nanoTime() + 10_000_000_000L;
            int status = 0;
            while (status != 204 && System.nanoTime() < deadline) {
                try (RawClient c = new RawClient(addr, 1000)) {
                    status = c.send("OPTIONS * HTTP/1.1\r\nHost: x\r\n\r\n").read().status();
                } catch (IOException e) {
                    Thread.sleep(100);
                }
            }
            assertEquals(204, status, "the server recovers once descriptors are free");
            long seconds = (System.nanoTime() - t0) / 1_000_000_000L;

            assertTrue(p.isAlive());
            p.destroy();
            assertTrue(p.waitFor(15, TimeUnit.SECONDS));
            String errors = Files.readString(stderr);
            long acceptLines = errors.lines().filter(l -> l.contains("accept failed")).count();
            assertTrue(acceptLines >= 1, "the exhaustion was logged: " + errors);
            // at most one line per second from the one process that accepts (prefork: its worker)
            assertTrue(acceptLines <= seconds + 2, acceptLines + " accept lines in " + seconds + " s: " + errors);
            assertTrue(errors.lines().noneMatch(l -> l.startsWith("\tat ") || l.contains("Exception")), errors);
        } finally {
            for (RawClient c : held) c.close();
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static boolean acceptFailed(Path stderr) throws IOException {
        return Files.readString(stderr).contains("accept failed");
    }
}
