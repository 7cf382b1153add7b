package io.tenk.model.blocking;

import io.tenk.conn.ServerContext;
import io.tenk.model.Bind;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * {@code pool}: a fixed pool of platform threads and a bounded queue of accepted connections
 * waiting for one. When the queue is full a new connection gets 503 and is closed.
 */
public final class PoolModel extends BlockingModel {
    private final ThreadPoolExecutor pool;

    public PoolModel(Bind bind, ServerContext ctx, int threads, int queue) {
        super(bind, ctx);
        BlockingQueue<Runnable> waiting = queue == 0 ? new SynchronousQueue<>() : new ArrayBlockingQueue<>(queue);
        pool = new ThreadPoolExecutor(threads, threads, 0, TimeUnit.MILLISECONDS, waiting,
                Thread.ofPlatform().name("tenk-pool-", 0).factory(),
                (job, executor) -> reject((ConnectionTask) job));
    }

    @Override public String name() { return "pool"; }

    @Override void dispatch(ConnectionTask s) { pool.execute(s); }

    @Override void release() {
        pool.shutdownNow();
    }
}
