package io.tenk.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * wrk as the tests run it: one thread, keep-alive connections, and each connection paced to one
 * request every {@link #PACE_MILLIS} ms by a {@code delay()} script. The tests need requests in
 * flight through every reload, roll and stop, not the machine's top rate: unpaced, wrk and the
 * servers it drives take both cores of a small machine for as long as it runs, and the tests
 * beside it stall.
 */
public final class Wrk {
    /** The least time between two requests of one connection. */
    public static final int PACE_MILLIS = 10;

    private Wrk() {}

    /**
     * Ends a run before its time, as Ctrl-C does: wrk stops and prints the report of what it did so
     * far, as at the end of its time.
     */
    public static void interrupt(Process wrk) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-INT", Long.toString(wrk.pid())).inheritIO().start();
        if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) throw new IOException("kill -INT wrk failed");
    }

    /** Starts {@code wrk -t1 -cCONNECTIONS -dSECONDS EXTRA... URL}, paced, its script written to {@code dir}. */
    public static Process paced(Path dir, int connections, int seconds, String url, String... extra) throws IOException {
        Path script = dir.resolve("wrk-pace.lua");
        Files.writeString(script, "function delay()\n  return " + PACE_MILLIS + "\nend\n");
        List<String> cmd = new ArrayList<>(List.of("wrk", "-t1", "-c" + connections, "-d" + seconds + "s", "-s", script.toString()));
        cmd.addAll(List.of(extra));
        cmd.add(url);
        return new ProcessBuilder(cmd).redirectErrorStream(true).start();
    }
}
