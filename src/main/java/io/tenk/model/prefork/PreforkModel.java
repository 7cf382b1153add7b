package io.tenk.model.prefork;

import io.tenk.conn.Fatal;
import io.tenk.model.Model;
import io.tenk.observe.ErrorLog;
import io.tenk.observe.Exposition;
import io.tenk.observe.WorkerMetrics;

import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.IntFunction;

/**
 * {@code prefork}: a master process supervises N worker JVMs that each bind the same port with
 * SO_REUSEPORT and run the reactor; the kernel spreads new connections over them. The master
 * serves nothing itself (as in nginx): it starts workers, restarts one that dies (within a
 * second, backing off when it keeps dying), forwards SIGTERM so workers finish in-flight
 * responses, and on SIGHUP ({@link #roll()}) replaces workers one at a time — a new one listens
 * before an old one stops, so the port never closes.
 *
 * <p>Why processes and not fork-per-connection: a JVM cannot fork itself (the runtime's threads
 * and JIT state do not survive it), and starting one costs ~100 ms and tens of MiB. So tenk
 * forks N long-lived workers up front, like nginx, each a full event-loop server.
 *
 * <p>The port is reserved by the master with a bound, non-listening socket that also has
 * SO_REUSEPORT: it fixes the port (when 0 was asked for) and keeps it while workers come and
 * go, but receives no connections.
 */
public final class PreforkModel implements Model {
    private static final long READY_TIMEOUT_MILLIS = 60_000;
    private static final long MAX_BACKOFF_MILLIS = 30_000;
    private static final long FLUSH_TIMEOUT_MILLIS = 5_000;
    private static final long SCRAPE_TIMEOUT_MILLIS = 2_000;

    private final InetSocketAddress bind;
    private final int workers;
    private final IntFunction<List<String>> command; // port → the worker's command line
    private final ErrorLog log;
    private final Fatal fatal;
    private final Consumer<String> out;
    private final java.util.concurrent.atomic.AtomicBoolean rolling = new java.util.concurrent.atomic.AtomicBoolean();
    private final Duration shutdown;

    private final Object lock = new Object();
    private final List<WorkerProcess> slots = new ArrayList<>();
    /** The counters of replaced workers, as they last reported them. */
    private final Exposition retired = Exposition.empty();
    private final long[] backoff;
    private final long[] notBefore;
    private SocketChannel reservation;
    private InetSocketAddress address;
    private Thread supervisor;
    private volatile boolean stopping;

    /**
     * @param command builds a worker's command line for the bound port (the worker must print
     *                {@link WorkerProcess#READY} once listening and exit when its stdin closes)
     * @param out     gets each line a worker prints after it is ready (its access log)
     */
    public PreforkModel(InetSocketAddress bind, int workers, IntFunction<List<String>> command,
                        ErrorLog log, Fatal fatal, Consumer<String> out, Duration shutdown) {
        if (workers < 1) throw new IllegalArgumentException("workers must be at least 1");
        this.bind = bind;
        this.workers = workers;
        this.command = command;
        this.log = log;
        this.fatal = fatal;
        this.out = out;
        this.shutdown = shutdown;
        this.backoff = new long[workers];
        this.notBefore = new long[workers];
    }

    @Override public String name() { return "prefork"; }

    @Override public void start() throws IOException {
        reservation = SocketChannel.open(bind.getAddress() instanceof java.net.Inet6Address
                ? java.net.StandardProtocolFamily.INET6 : java.net.StandardProtocolFamily.INET);
        try {
            // SO_REUSEADDR as every listener has it: without it the port cannot be had again while
            // connections a previous server closed linger on it in TIME_WAIT (up to a minute)
            reservation.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            reservation.setOption(StandardSocketOptions.SO_REUSEPORT, true);
            reservation.bind(bind);
            address = (InetSocketAddress) reservation.getLocalAddress();
            for (int i = 0; i < workers; i++) slots.add(launch());
            for (WorkerProcess w : slots) {
                if (!w.awaitReady(READY_TIMEOUT_MILLIS)) {
                    throw new BindException("a worker could not start listening on port " + address.getPort());
                }
            }
        } catch (IOException | RuntimeException e) {
            stopWorkers();
            reservation.close();
            throw e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stopWorkers();
            reservation.close();
            throw new IOException("interrupted while starting workers");
        }
        supervisor = Thread.ofPlatform().name("tenk-prefork-master").start(() -> {
            try {
                supervise();
            } catch (Throwable t) {
                fatal.failed("prefork supervisor", t); // nobody would restart a worker that dies
            }
        });
    }

    private WorkerProcess launch() throws IOException {
        return WorkerProcess.start(command.apply(address.getPort()), out);
    }

    /** Restarts workers that died, with a back-off for one that keeps dying young. */
    private void supervise() {
        while (!stopping) {
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                break;
            }
            synchronized (lock) {
                long now = System.nanoTime() / 1_000_000;
                for (int i = 0; i < slots.size() && !stopping; i++) {
                    WorkerProcess w = slots.get(i);
                    if (w.alive()) {
                        if (w.uptimeMillis() > 10_000) backoff[i] = 0;
                        continue;
                    }
                    if (notBefore[i] == 0) {
                        // died just now: restart at once the first time, later with growing delays
                        backoff[i] = w.uptimeMillis() < 5_000 ? Math.min(MAX_BACKOFF_MILLIS, Math.max(250, backoff[i] * 2)) : 0;
                        notBefore[i] = now + backoff[i];
                        log.warn("worker " + w.pid() + " exited" + w.exitStatus() + "; restarting"
                                + (backoff[i] > 0 ? " in " + backoff[i] + " ms" : ""));
                    }
                    if (now < notBefore[i]) continue;
                    notBefore[i] = 0;
                    try {
                        retire(slots.set(i, launch()));
                    } catch (IOException e) {
                        log.error("could not restart a worker", e);
                        notBefore[i] = now + Math.max(1000, backoff[i]);
                    }
                }
            }
        }
    }

    /** SIGHUP: replace the workers (in the background; a second SIGHUP during a roll is ignored). */
    @Override public void reload() {
        if (stopping || !rolling.compareAndSet(false, true)) return;
        Thread.ofPlatform().name("tenk-prefork-roll").start(() -> {
            try {
                roll();
            } finally {
                rolling.set(false);
            }
        });
    }

    /**
     * Replaces every worker, one at a time: the new one listens before the old one is told to
     * finish, so the port stays open and no request fails. Workers read the config file afresh.
     */
    public void roll() {
        for (int i = 0; i < workers && !stopping; i++) {
            WorkerProcess old;
            WorkerProcess fresh;
            try {
                fresh = launch();
                if (!fresh.awaitReady(READY_TIMEOUT_MILLIS)) {
                    log.warn("a new worker did not start; keeping the running ones");
                    fresh.kill();
                    return;
                }
            } catch (IOException e) {
                log.error("could not start a new worker", e);
                return;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            synchronized (lock) {
                old = slots.set(i, fresh);
            }
            retire(old);
            old.terminate();
        }
        log.info("workers replaced");
    }

    /**
     * What the workers counted, asked of each (at most {@link #SCRAPE_TIMEOUT_MILLIS} each), plus
     * the counters of the workers replaced so far.
     */
    @Override public WorkerMetrics workerMetrics() {
        List<WorkerProcess> all;
        synchronized (lock) {
            all = List.copyOf(slots);
        }
        List<Exposition> live = new ArrayList<>();
        try {
            for (WorkerProcess w : all) {
                String text = w.scrape(SCRAPE_TIMEOUT_MILLIS);
                live.add(text == null ? null : Exposition.parse(text));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (retired) {
            Exposition copy = Exposition.empty();
            copy.add(retired, false);
            return new WorkerMetrics(live, copy);
        }
    }

    /** Keeps what a worker that is going away had counted when last asked, so the totals never go down. */
    private void retire(WorkerProcess old) {
        String last = old.lastMetrics();
        if (last == null) return;
        synchronized (retired) {
            retired.add(Exposition.parse(last), true);
        }
    }

    /** Has every worker write out its access lines and waits until the master has forwarded them (at most 5 s each). */
    @Override public void flushAccessLog() {
        List<WorkerProcess> all;
        synchronized (lock) {
            all = List.copyOf(slots);
        }
        try {
            for (WorkerProcess w : all) w.flush(FLUSH_TIMEOUT_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override public InetSocketAddress address() { return address; }

    @Override public void stop() {
        stopping = true;
        if (supervisor != null) supervisor.interrupt();
        synchronized (lock) {
            for (WorkerProcess w : slots) w.terminate();
        }
    }

    @Override public void awaitStopped() throws InterruptedException {
        if (supervisor != null) supervisor.join();
        long deadline = System.nanoTime() + shutdown.toNanos() + 5_000_000_000L;
        List<WorkerProcess> all;
        synchronized (lock) {
            all = List.copyOf(slots);
        }
        for (WorkerProcess w : all) {
            long left = Math.max(0, (deadline - System.nanoTime()) / 1_000_000);
            if (!w.awaitExit(left)) w.kill();
            w.detach();
        }
        try {
            if (reservation != null) reservation.close();
        } catch (IOException ignored) {
            // nothing to release
        }
    }

    private void stopWorkers() {
        for (WorkerProcess w : slots) {
            w.terminate();
            w.detach();
        }
    }
}
