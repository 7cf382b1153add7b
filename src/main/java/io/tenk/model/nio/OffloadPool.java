package io.tenk.model.nio;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Where transports' slow work ({@link io.tenk.conn.Step#TASK}: a TLS handshake's key exchange
 * and signature, milliseconds each) runs for connections served by event loops: one pool for
 * the process, of one daemon thread per core but one (at least one), so that work never holds up
 * a loop's other connections, and a flood of handshakes queues here instead. Made on first use:
 * a server without TLS never starts it. Idle threads end after a minute. The queue is not
 * bounded: each piece of work belongs to a connection the server admitted, and those are bounded.
 */
final class OffloadPool {
    private OffloadPool() {}

    /** The pool's size on this machine. */
    static int threads() { return Math.max(1, Runtime.getRuntime().availableProcessors() - 1); }

    /** Runs {@code work} on the pool, then {@code then} (on the pool's thread, even if the work failed). */
    static void run(Runnable work, Runnable then) {
        Pool.EXECUTOR.execute(() -> {
            try {
                work.run();
            } finally {
                then.run();
            }
        });
    }

    /** Holds the pool, made when first used (the JVM initialises a class lazily). */
    private static final class Pool {
        static final ExecutorService EXECUTOR = make();

        private static ExecutorService make() {
            AtomicInteger n = new AtomicInteger();
            ThreadPoolExecutor pool = new ThreadPoolExecutor(threads(), threads(), 60, TimeUnit.SECONDS,
                    new LinkedBlockingQueue<>(), r -> {
                        Thread t = new Thread(r, "tenk-offload-" + n.incrementAndGet());
                        t.setDaemon(true);
                        return t;
                    });
            pool.allowCoreThreadTimeOut(true);
            return pool;
        }
    }
}
