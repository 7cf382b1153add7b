package io.tenk.support;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * strace(1) attached to a running process (a child tenk): what the kernel was asked while an
 * action ran. Tests that use it are skipped, saying why, where strace is not installed (.ci/run
 * installs it).
 */
public final class Strace {
    private Strace() {}

    /** Something a test does while strace watches. */
    @FunctionalInterface
    public interface Action {
        void run() throws Exception;
    }

    /**
     * Attaches strace to every thread of {@code pid} for the system calls {@code calls} (strace's
     * {@code trace=} list), runs {@code action}, detaches; returns strace's lines. {@code dir}
     * holds its output.
     */
    public static String traced(long pid, String calls, Path dir, Duration limit, Action action) throws Exception {
        String strace = path();
        assumeTrue(strace != null, "strace is not installed (apt-get install strace)");
        Path out = Files.createTempFile(dir, "strace", ".txt");
        Process st = new ProcessBuilder(strace, "-f", "-qq", "-e", "trace=" + calls, "-o", out.toString(),
                "-p", Long.toString(pid)).redirectErrorStream(true).redirectOutput(dir.resolve("strace.log").toFile()).start();
        try {
            Await.until(() -> allTraced(pid), limit, "strace attached to every thread");
            action.run();
        } finally {
            st.destroy(); // SIGTERM: strace detaches and writes out what it holds
            if (!st.waitFor(limit.toSeconds(), TimeUnit.SECONDS)) st.destroyForcibly();
        }
        return Files.readString(out);
    }

    /** The names of {@code pid}'s threads now. */
    public static List<String> threadNames(long pid) throws IOException {
        File[] tasks = new File("/proc/" + pid + "/task").listFiles();
        if (tasks == null) return List.of();
        java.util.ArrayList<String> names = new java.util.ArrayList<>();
        for (File t : tasks) {
            try {
                names.add(Files.readString(t.toPath().resolve("comm")).strip());
            } catch (IOException e) {
                // the thread ended
            }
        }
        return names;
    }

    /** Whether every thread of {@code pid} has a tracer. */
    private static boolean allTraced(long pid) throws IOException {
        File[] tasks = new File("/proc/" + pid + "/task").listFiles();
        if (tasks == null || tasks.length == 0) return false;
        for (File t : tasks) {
            List<String> status;
            try {
                status = Files.readAllLines(t.toPath().resolve("status"));
            } catch (IOException e) {
                continue; // the thread ended
            }
            if (status.stream().anyMatch(l -> l.matches("TracerPid:\\s+0"))) return false;
        }
        return true;
    }

    /** strace on the PATH, or null. */
    private static String path() {
        for (String d : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(File.pathSeparator)) {
            Path p = Path.of(d, "strace");
            if (Files.isExecutable(p)) return p.toString();
        }
        return null;
    }
}
