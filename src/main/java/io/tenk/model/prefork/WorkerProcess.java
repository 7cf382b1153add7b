package io.tenk.model.prefork;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One worker JVM as the master sees it. The worker's stdin is a pipe the master never writes:
 * when the master dies, even by SIGKILL, the pipe closes and the worker exits (no worker outlives
 * the master). The worker's first stdout line says it is listening; every later line (the access
 * log) is copied to the master's stdout. Its stderr goes straight to the master's.
 */
final class WorkerProcess {
    static final String READY = WorkerCommand.READY;

    private final Process process;
    private final CountDownLatch ready = new CountDownLatch(1);
    private final long startedNanos = System.nanoTime();
    private volatile boolean sawReady;

    private WorkerProcess(Process process, Consumer<String> out) {
        this.process = process;
        Thread.ofPlatform().daemon().name("tenk-worker-" + process.pid() + "-out").start(() -> copyOut(out));
    }

    static WorkerProcess start(List<String> command, Consumer<String> out) throws IOException {
        Process p = new ProcessBuilder(command)
                .redirectInput(ProcessBuilder.Redirect.PIPE)
                .redirectOutput(ProcessBuilder.Redirect.PIPE)
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        return new WorkerProcess(p, out);
    }

    private void copyOut(Consumer<String> out) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                if (!sawReady && line.equals(READY)) {
                    sawReady = true;
                    ready.countDown();
                    continue;
                }
                out.accept(line);
            }
        } catch (IOException e) {
            // the worker is gone; the supervisor notices through its exit
        } finally {
            ready.countDown();
        }
    }

    /** Waits until the worker listens (true) or dies or the time passes (false). */
    boolean awaitReady(long millis) throws InterruptedException {
        ready.await(millis, TimeUnit.MILLISECONDS);
        return sawReady && process.isAlive();
    }

    long pid() { return process.pid(); }

    boolean alive() { return process.isAlive(); }

    /** How a dead worker ended, for the log: " with status N" (a worker that failed exits 1), or "" while it runs. */
    String exitStatus() {
        return process.isAlive() ? "" : " with status " + process.exitValue();
    }

    /** How long the worker has been running. */
    long uptimeMillis() { return (System.nanoTime() - startedNanos) / 1_000_000; }

    /** SIGTERM: the worker stops accepting, finishes in-flight responses and exits. */
    void terminate() {
        process.toHandle().destroy();
    }

    void kill() { process.destroyForcibly(); }

    /** Waits for the worker to exit; true when it did within the time. */
    boolean awaitExit(long millis) throws InterruptedException {
        return process.waitFor(millis, TimeUnit.MILLISECONDS);
    }

    /** Closes the master's end of the worker's stdin (the worker then exits too). */
    void detach() {
        try {
            OutputStream in = process.getOutputStream();
            in.close();
        } catch (IOException ignored) {
            // already closed
        }
    }
}
