package io.tenk.model.process;

import io.tenk.conn.ServerContext;
import io.tenk.model.Acceptor;
import io.tenk.model.Bind;
import io.tenk.model.Model;
import io.tenk.observe.ErrorLog;
import io.tenk.observe.LogThrottle;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.channels.spi.SelectorProvider;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code process}: a process per connection, as inetd did it. The parent accepts (the
 * {@link Acceptor} every model uses, with its connection limit and 503 refusals) and spawns a
 * child JVM per connection with {@code posix_spawn}, the socket on the child's stdin; the child
 * serves that one connection ({@link ChildConnection}) and exits. A JVM cannot fork itself, so
 * each child is a fresh JVM: isolation costs a JVM start per connection.
 *
 * <p>The parent closes its copy of the socket as soon as the child runs (else the connection
 * would outlive the child), reaps every child ({@code waitpid}, one small thread each), and gives
 * the connection's slot back when it exits: {@code --max-connections} caps live children. A child
 * that crashes or is killed costs only its own connection.
 *
 * <p>Stopping: every child has the read end of one pipe on its descriptor 3, and reads a byte from
 * it to learn that the server stops (or its end of file: the parent is gone). {@link #stop()}
 * writes a byte per live child (and one for each child spawned while stopping, from the
 * connections the kernel had queued): each finishes its response, answers a next request with
 * {@code Connection: close}, and exits; the parent kills what is left when the shutdown timeout
 * passes. A byte waits in the pipe for a child that is still starting, where a signal would kill it.
 */
public final class ProcessModel implements Model {
    private static final long REAPER_STACK = 256 * 1024;

    private final Bind bind;
    private final ServerContext ctx;
    private final List<String> command;
    private final ErrorLog log;
    private final LogThrottle failures = new LogThrottle(LogThrottle.ONE_SECOND);
    private final Set<Integer> live = ConcurrentHashMap.newKeySet(); // the children's pids, until they exit
    private int unreaped; // children not yet reaped (guarded by live)
    private ServerSocketChannel server;
    private InetSocketAddress bound;
    private Acceptor acceptor;
    private int drainRead = -1, drainWrite = -1;
    private volatile boolean stopping;
    private long stopDeadline;

    /** @param command a child's command line (a JVM running tenk with {@link ChildConnection#FLAG}) */
    public ProcessModel(Bind bind, ServerContext ctx, List<String> command) {
        this.bind = bind;
        this.ctx = ctx;
        this.command = List.copyOf(command);
        this.log = ctx.errorLog();
    }

    /** Why this model cannot run in this JVM, or null when it can. */
    public static String unavailable() {
        return Posix.UNAVAILABLE != null ? Posix.UNAVAILABLE : SocketFd.UNAVAILABLE;
    }

    @Override public String name() { return "process"; }

    @Override public void start() throws IOException {
        String why = unavailable();
        if (why != null) throw new IllegalStateException(why);
        int[] pipe = Posix.pipe();
        drainRead = pipe[0];
        drainWrite = pipe[1];
        try {
            server = Acceptor.listen(SelectorProvider.provider(), bind);
        } catch (IOException | RuntimeException e) {
            closeDrain();
            throw e;
        }
        bound = (InetSocketAddress) server.getLocalAddress();
        acceptor = new Acceptor(server, this::accepted, ctx);
        acceptor.start("tenk-process-accept");
    }

    /** The acceptor thread, with a connection slot held: spawn its child, then let go of the socket. */
    private void accepted(SocketChannel ch) {
        int pid;
        try {
            pid = Posix.spawn(command, SocketFd.of(ch), drainRead);
        } catch (IOException | RuntimeException e) {
            if (failures.allow()) log.warn("cannot start a process for a connection: " + ErrorLog.describe(e));
            ctx.connections().release();
            acceptor.refuse(ch, "cannot start processes");
            return;
        }
        Acceptor.closeQuietly(ch); // the child holds the connection now; our copy would keep it open
        synchronized (live) {
            live.add(pid);
            unreaped++;
        }
        if (stopping) drain(1);
        try {
            Thread.ofPlatform().daemon().stackSize(REAPER_STACK).name("tenk-process-" + pid).start(() -> reap(pid));
        } catch (OutOfMemoryError e) { // no thread to wait for it: end it here rather than leave a zombie
            Posix.kill(pid, Posix.SIGKILL);
            reap(pid);
        }
    }

    /**
     * Waits for a child to exit, reaps it and gives its connection slot back. It leaves the set of
     * live children before it is reaped: a pid in the set is never another process's.
     */
    private void reap(int pid) {
        int status = 0;
        try {
            Posix.awaitExit(pid);
            synchronized (live) {
                live.remove(pid);
            }
            status = Posix.waitFor(pid);
        } catch (IOException e) {
            log.warn("lost track of process " + pid + ": " + ErrorLog.describe(e));
        } finally {
            synchronized (live) {
                live.remove(pid);
                unreaped--;
                live.notifyAll();
            }
        }
        if (status != 0 && !stopping && failures.allow()) {
            log.warn("process " + pid + " " + Posix.describe(status) + "; only its connection was affected");
        }
        ctx.connections().release();
    }

    /** Tells {@code n} children to finish (a byte each on the pipe they share). */
    private void drain(int n) {
        if (n <= 0) return;
        try {
            Posix.writeZeros(drainWrite, n);
        } catch (IOException e) {
            log.warn("cannot tell processes to stop: " + ErrorLog.describe(e));
        }
    }

    /** The pids of the children serving connections now. */
    public List<Integer> children() { return List.copyOf(live); }

    @Override public InetSocketAddress address() { return bound != null ? bound : bind.address(); }

    @Override public void stop() {
        synchronized (this) {
            if (stopping || acceptor == null) return;
            stopDeadline = System.nanoTime() + ctx.timeouts().shutdown().toNanos();
            stopping = true;
        }
        acceptor.stop();
        drain(live.size());
    }

    @Override public void awaitStopped() throws InterruptedException {
        if (acceptor == null) return;
        acceptor.join(); // it has spawned children for the connections the kernel had queued
        long deadline;
        synchronized (this) {
            deadline = stopDeadline;
        }
        synchronized (live) {
            for (long left; unreaped > 0 && (left = deadline - System.nanoTime()) > 0; ) {
                live.wait(Math.max(1, left / 1_000_000));
            }
            for (int pid : live) Posix.kill(pid, Posix.SIGKILL);
            while (unreaped > 0) live.wait(100); // their reapers see them go
        }
        closeDrain();
    }

    private void closeDrain() {
        if (drainWrite >= 0) Posix.close(drainWrite);
        if (drainRead >= 0) Posix.close(drainRead);
        drainWrite = drainRead = -1;
    }
}
