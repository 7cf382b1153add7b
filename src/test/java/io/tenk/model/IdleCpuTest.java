package io.tenk.model;

import io.tenk.support.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every model sleeps when idle: one server process per model, started together; once each is
 * serving and has settled, its CPU time (utime + stime in /proc/PID/stat) over 5 s must stay
 * under 5 % of a core. Linux only (skipped elsewhere).
 */
class IdleCpuTest {
    @TempDir Path root;

    @Test void everyModelIsNearlyFreeWhenIdle() throws Exception {
        if (!Files.isReadable(Path.of("/proc/self/stat"))) return;
        Files.writeString(root.resolve("index.html"), "idle\n");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Map<String, Process> procs = new LinkedHashMap<>();
        try {
            for (String model : TestServer.modelNames().toList()) {
                List<String> cmd = new ArrayList<>(List.of(java, "-Xmx64m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                        "--add-exports", "java.base/sun.nio.ch=ALL-UNNAMED",
                        "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"), "io.tenk.cli.Main",
                        "-q", "-p", "0", "-d", root.toString(), "--model", model));
                procs.put(model, new ProcessBuilder(cmd).redirectErrorStream(true).start());
            }
            for (var e : procs.entrySet()) {
                BufferedReader out = new BufferedReader(new InputStreamReader(e.getValue().getInputStream(), StandardCharsets.UTF_8));
                String line = out.readLine();
                assertTrue(line != null && line.contains("serving"), e.getKey() + ": " + line);
            }
            Thread.sleep(2000); // JIT and startup work settle
            Map<String, Long> before = new LinkedHashMap<>();
            for (var e : procs.entrySet()) before.put(e.getKey(), cpuTicks(e.getValue().pid()));
            long t0 = System.nanoTime();
            Thread.sleep(5000);
            double seconds = (System.nanoTime() - t0) / 1e9;
            StringBuilder report = new StringBuilder();
            boolean ok = true;
            for (var e : procs.entrySet()) {
                double pct = 100.0 * (cpuTicks(e.getValue().pid()) - before.get(e.getKey())) / 100.0 / seconds;
                report.append(String.format("%s %.2f%%; ", e.getKey(), pct));
                ok &= pct < 5.0;
            }
            System.out.println("idle CPU per model: " + report);
            assertTrue(ok, "idle CPU per model: " + report);
        } finally {
            for (Process p : procs.values()) p.destroy();
            for (Process p : procs.values()) p.waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** utime + stime of a process, in clock ticks (USER_HZ, 100 on Linux). */
    static long cpuTicks(long pid) throws Exception {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }
}
