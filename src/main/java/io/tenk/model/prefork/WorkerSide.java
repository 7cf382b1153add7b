package io.tenk.model.prefork;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * The worker side of {@code prefork}: tells the master it listens, writes out its access log when
 * the master asks (a {@link WorkerCommand#FLUSH} line on stdin, answered by
 * {@link WorkerCommand#FLUSHED} on stdout), and stops when the master is gone (its end of our
 * stdin closes, even after a SIGKILL), so no worker outlives its master.
 */
public final class WorkerSide {
    private WorkerSide() {}

    /**
     * Called by a worker once it listens: {@code flush} writes out its access log, {@code stop}
     * stops it (when the master is gone).
     */
    public static void announce(PrintStream out, Runnable flush, Runnable stop) {
        out.println(WorkerCommand.READY);
        out.flush();
        Thread.ofPlatform().daemon().name("tenk-worker-master-watch").start(() -> {
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.US_ASCII));
            try {
                String line;
                while ((line = in.readLine()) != null) {
                    if (!line.equals(WorkerCommand.FLUSH)) continue; // anything else is ignored
                    flush.run();
                    out.println(WorkerCommand.FLUSHED);
                    out.flush();
                }
            } catch (IOException e) {
                // closed: the same as EOF
            }
            stop.run();
        });
    }
}
