package io.tenk.model.prefork;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The worker side of {@code prefork}: tells the master it listens, writes out its access log when
 * the master asks (a {@link WorkerCommand#FLUSH} line on stdin, answered by
 * {@link WorkerCommand#FLUSHED} on stdout), sends its metrics when asked ({@link WorkerCommand#METRICS}:
 * each line of the text prefixed, then {@link WorkerCommand#METRICS_END}), and stops when the
 * master is gone (its end of our stdin closes, even after a SIGKILL), so no worker outlives its master.
 */
public final class WorkerSide {
    private WorkerSide() {}

    /**
     * Called by a worker once it listens: {@code flush} writes out its access log, {@code metrics}
     * renders its metrics text, {@code writeBesideLog} writes text between two batches of access
     * lines (false: the access log is off), {@code stop} stops it (when the master is gone).
     */
    public static void announce(PrintStream out, Runnable flush, Supplier<String> metrics, Predicate<String> writeBesideLog,
                                Runnable stop) {
        out.println(WorkerCommand.READY);
        out.flush();
        Thread.ofPlatform().daemon().name("tenk-worker-master-watch").start(() -> {
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.US_ASCII));
            try {
                String line;
                while ((line = in.readLine()) != null) {
                    if (line.equals(WorkerCommand.FLUSH)) {
                        flush.run();
                        out.println(WorkerCommand.FLUSHED);
                    } else if (line.equals(WorkerCommand.METRICS)) {
                        StringBuilder b = new StringBuilder();
                        for (String l : metrics.get().split("\n")) b.append(WorkerCommand.METRICS_LINE).append(l).append('\n');
                        b.append(WorkerCommand.METRICS_END).append('\n');
                        if (!writeBesideLog.test(b.toString())) out.print(b); // no access log: nothing can come between
                    } // anything else is ignored
                    out.flush();
                }
            } catch (IOException e) {
                // closed: the same as EOF
            }
            stop.run();
        });
    }
}
