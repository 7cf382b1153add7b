package io.tenk.support;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;

/**
 * Runs a parameterized case's scenarios, one per parameter, side by side, each case waiting for
 * its own. For scenarios that mostly wait (a server's timeout, a client's pace, a connection
 * that gets no answer): run one by one on the suite's few worker threads, fifteen of them hold a
 * thread for minutes while the CPU idles. The first case to ask starts them all, at most
 * {@code atOnce} running at a time on virtual threads; each case then reports its own parameter's
 * result, failure and stack trace included, as if it had run the scenario itself.
 *
 * @param <P> the parameter (a model's name)
 */
public final class SideBySide<P> {
    /** One parameter's scenario. */
    @FunctionalInterface
    public interface Scenario<P> {
        void run(P parameter) throws Exception;
    }

    private final List<P> parameters;
    private final Scenario<P> scenario;
    private final Semaphore atOnce;
    private final Map<P, Future<?>> runs = new ConcurrentHashMap<>();

    public SideBySide(List<P> parameters, int atOnce, Scenario<P> scenario) {
        this.parameters = List.copyOf(parameters);
        this.scenario = scenario;
        this.atOnce = new Semaphore(atOnce, true);
    }

    /** Starts every scenario if none has started yet, waits for {@code parameter}'s, and throws what it threw. */
    public void await(P parameter) throws Exception {
        startAll();
        Future<?> run = runs.get(parameter);
        if (run == null) throw new IllegalArgumentException("no scenario for " + parameter);
        try {
            run.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Error error) throw error;
            throw (Exception) e.getCause();
        }
    }

    private synchronized void startAll() {
        if (!runs.isEmpty()) return;
        var threads = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("side-by-side-", 0).factory());
        for (P p : parameters) {
            runs.put(p, threads.submit(() -> {
                atOnce.acquire();
                try {
                    scenario.run(p);
                } finally {
                    atOnce.release();
                }
                return null;
            }));
        }
        threads.shutdown(); // its threads end with their scenarios
    }
}
