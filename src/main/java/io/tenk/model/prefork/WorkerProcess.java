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
import java.util.function.LongSupplier;

/**
 * One worker JVM as the master sees it. The worker's stdin is a pipe that carries nothing but
 * {@link WorkerCommand#FLUSH} requests (write out your access log): when the master dies, even by
 * SIGKILL, the pipe closes and the worker exits (no worker outlives the master). The worker's
 * first stdout line says it is listening; every later line (the access log) is copied to the
 * master's stdout, except the {@link WorkerCommand#FLUSHED} answers to a flush. Its stderr goes
 * straight to the master's.
 */
final class WorkerProcess {
    static final String READY = WorkerCommand.READY;

    private final Process process;
    private final CountDownLatch ready = new CountDownLatch(1);
    private final long startedNanos = System.nanoTime();
    private volatile boolean sawReady;
    private long flushesAnswered; // guarded by this
    private long scrapesAnswered; // guarded by this
    private StringBuilder scraping; // the metrics text arriving, guarded by this
    private String lastMetrics; // the last metrics text the worker sent, guarded by this

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
                if (line.equals(WorkerCommand.FLUSHED)) {
                    synchronized (this) {
                        flushesAnswered++;
                        notifyAll();
                    }
                    continue;
                }
                if (line.startsWith(WorkerCommand.METRICS_LINE)) {
                    synchronized (this) {
                        if (scraping == null) scraping = new StringBuilder();
                        scraping.append(line, WorkerCommand.METRICS_LINE.length(), line.length()).append('\n');
                    }
                    continue;
                }
                if (line.equals(WorkerCommand.METRICS_END)) {
                    synchronized (this) {
                        lastMetrics = scraping == null ? "" : scraping.toString();
                        scraping = null;
                        scrapesAnswered++;
                        notifyAll();
                    }
                    continue;
                }
                out.accept(line);
            }
        } catch (IOException e) {
            // the worker is gone; the supervisor notices through its exit
        } finally {
            ready.countDown();
            synchronized (this) {
                notifyAll();
            }
        }
    }

    /**
     * Asks the worker to write out its access lines and waits until they have all been passed to
     * the master's log (true), or the worker is gone or the time passes (false).
     */
    synchronized boolean flush(long millis) throws InterruptedException {
        return ask(WorkerCommand.FLUSH, () -> flushesAnswered, millis);
    }

    /**
     * Writes {@code command} on the worker's stdin and waits (at most {@code millis}) until
     * {@code answered}, a count of its answers, has gone up by one: false when the worker is gone
     * or too slow. Called holding this (the answers are counted under it).
     */
    private boolean ask(String command, LongSupplier answered, long millis) throws InterruptedException {
        long want = answered.getAsLong() + 1;
        try {
            OutputStream in = process.getOutputStream();
            in.write((command + "\n").getBytes(StandardCharsets.US_ASCII));
            in.flush();
        } catch (IOException e) {
            return false; // detached or dead
        }
        long deadline = System.nanoTime() + millis * 1_000_000;
        while (answered.getAsLong() < want && process.isAlive()) {
            long left = (deadline - System.nanoTime()) / 1_000_000;
            if (left <= 0) return false;
            wait(Math.min(left, 100));
        }
        return answered.getAsLong() >= want;
    }

    /**
     * Asks the worker for its metrics text and waits for it (at most {@code millis}); null when the
     * worker is gone or too slow.
     */
    synchronized String scrape(long millis) throws InterruptedException {
        return ask(WorkerCommand.METRICS, () -> scrapesAnswered, millis) ? lastMetrics : null;
    }

    /** The last metrics text the worker sent (null if never asked): what a replaced worker had counted. */
    synchronized String lastMetrics() { return lastMetrics; }

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
