package io.tenk.model;

import io.tenk.support.ChildJvm;
import io.tenk.support.JvmStarts;
import io.tenk.support.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every model sleeps when idle: one server process per model, all running at once; once each is
 * serving, its CPU time (utime + stime in /proc/PID/stat, with prefork's worker's) over a 5 s
 * window must stay under 5 % of a core. Startup work may spill into the first window on a loaded
 * machine, so windows are measured until each model has had a quiet one (a model that spins never
 * has). It measures the servers' own CPU time, not this JVM's, so it runs beside other tests.
 * Linux only (skipped elsewhere).
 */
@org.junit.jupiter.api.Order(13) // a long class, started early (junit-platform.properties)
class IdleCpuTest {
    static final double WINDOW_SECONDS = 5;

    @TempDir Path root;

    @Test void everyModelIsNearlyFreeWhenIdle() throws Exception {
        if (!Files.isReadable(Path.of("/proc/self/stat"))) return;
        Files.writeString(root.resolve("index.html"), "idle\n");
        Map<String, Process> procs = new LinkedHashMap<>();
        try {
            for (String model : TestServer.modelNames().toList()) {
                List<String> cmd = new ArrayList<>(ChildJvm.command(List.of()));
                cmd.addAll(List.of("-q", "-p", "0", "-d", root.toString(), "--model", model));
                if (model.equals("prefork")) cmd.addAll(List.of("--workers", "1")); // its master is what is measured
                JvmStarts.Started started = JvmStarts.process(new ProcessBuilder(cmd).redirectErrorStream(true));
                procs.put(model, started.process());
                String line = started.first(); // its banner (after any warning of a JVM short of memory)
                StringBuilder seen = new StringBuilder();
                while (line != null && !line.contains("serving")) {
                    seen.append(line).append('\n');
                    line = started.out().readLine();
                }
                assertTrue(line != null, model + " did not start: " + seen);
            }
            // Startup work (JIT, class loading) may still be running on a loaded machine: sample every
            // model's CPU time a few times a second and take, for each, its quietest 5 s window so far;
            // stop once every model has had a quiet one (at most 35 s); a model that spins never does.
            Map<String, Double> best = new LinkedHashMap<>();
            List<Long> times = new ArrayList<>();
            Map<String, List<Long>> ticks = new LinkedHashMap<>();
            for (String model : procs.keySet()) ticks.put(model, new ArrayList<>());
            long start = System.nanoTime();
            while (true) {
                long now = System.nanoTime();
                times.add(now);
                for (var e : procs.entrySet()) ticks.get(e.getKey()).add(treeTicks(e.getValue()));
                int last = times.size() - 1;
                for (int first = last - 1; first >= 0; first--) {
                    double seconds = (times.get(last) - times.get(first)) / 1e9;
                    if (seconds < WINDOW_SECONDS) continue;
                    for (String model : procs.keySet()) { // the window from the latest sample at least 5 s back
                        List<Long> t = ticks.get(model);
                        double pct = 100.0 * (t.get(last) - t.get(first)) / 100.0 / seconds;
                        best.merge(model, pct, Math::min);
                    }
                    break;
                }
                boolean allQuiet = best.size() == procs.size() && best.values().stream().allMatch(pct -> pct < 5.0);
                if (allQuiet || now - start > 35_000_000_000L) break;
                Thread.sleep(250); // the sampling period
            }
            StringBuilder report = new StringBuilder();
            boolean ok = true;
            for (var e : best.entrySet()) {
                report.append(String.format("%s %.2f%%; ", e.getKey(), e.getValue()));
                ok &= e.getValue() < 5.0;
            }
            System.out.println("idle CPU per model (quietest 5 s window): " + report);
            assertTrue(ok, "idle CPU per model: " + report);
        } finally {
            for (Process p : procs.values()) p.destroy();
            for (Process p : procs.values()) p.waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** utime + stime of a process and its children (prefork's worker), in clock ticks. */
    static long treeTicks(Process p) throws Exception {
        long sum = cpuTicks(p.pid());
        for (ProcessHandle child : p.descendants().toList()) {
            try {
                sum += cpuTicks(child.pid());
            } catch (java.nio.file.NoSuchFileException gone) {
                // it ended between the listing and the reading
            }
        }
        return sum;
    }

    /** utime + stime of a process, in clock ticks (USER_HZ, 100 on Linux). */
    static long cpuTicks(long pid) throws Exception {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }
}
