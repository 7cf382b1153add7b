package io.tenk.model;

import io.tenk.config.Listen;
import io.tenk.config.ModelKind;
import io.tenk.config.ServerConfig;
import io.tenk.conn.ServerContext;
import io.tenk.model.blocking.IterativeModel;
import io.tenk.model.blocking.PoolModel;
import io.tenk.model.blocking.ThreadsModel;
import io.tenk.model.blocking.VirtualModel;
import io.tenk.model.nio.LoopModel;
import io.tenk.model.nio.ReactorModel;
import io.tenk.model.prefork.PreforkModel;
import io.tenk.model.prefork.WorkerCommand;
import io.tenk.model.prefork.WorkerSide;
import io.tenk.model.process.ChildCommand;
import io.tenk.model.process.ChildConnection;
import io.tenk.model.process.ProcessModel;

import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.List;

/**
 * The registry of models: for each {@link ModelKind}, a one-line description (how it works, what
 * it costs) and its construction. Both are switches over the kind, so the compiler checks that
 * every kind has them.
 */
public final class Models {

    /** A model and what a user should know about it. */
    public record Info(ModelKind kind, String description) {
        /** The name users write. */
        public String name() { return kind.id(); }
    }

    /** Every model a user may pick ({@code tenk models}). */
    public static final List<Info> ALL = Arrays.stream(ModelKind.values()).filter(ModelKind::listed)
            .map(k -> new Info(k, description(k))).toList();

    /** The hidden option that makes {@code tenk} a prefork worker on the given port (set by the master). */
    public static final String PREFORK_WORKER_FLAG = WorkerCommand.WORKER_FLAG;

    /** The hidden option that makes {@code tenk} a {@code process} child. */
    public static final String PROCESS_CHILD_FLAG = ChildConnection.FLAG;

    private Models() {}

    /**
     * A prefork worker listens: tells its master so, writes out its access log when the master
     * asks ({@code flush}), and stops ({@code stop}) when the master is gone.
     */
    public static void announcePreforkWorker(PrintStream out, Runnable flush, java.util.function.Supplier<String> metrics,
                                             java.util.function.Predicate<String> writeBesideLog, Runnable stop) {
        WorkerSide.announce(out, flush, metrics, writeBesideLog, stop);
    }

    private static String description(ModelKind kind) {
        return switch (kind) {
            case PROCESS -> "a child process per connection, as inetd did it: the parent accepts and spawns a JVM"
                    + " with the socket on its stdin, which serves that connection and exits. Isolation per"
                    + " connection; each costs a JVM start (about a second of CPU on 2 vCPUs) and ~70 MiB while it lives.";
            case PROCESS_CHILD -> "a process model's child: serves the connection on its standard input (run by the parent).";
            case ITERATIVE -> "one connection at a time on one thread, blocking I/O; the next client waits until"
                    + " the current one closes or idles out (idle timeout cut to "
                    + ServerConfig.ITERATIVE_IDLE.toSeconds() + " s). Costs one thread; serves one client at a time.";
            case THREADS -> "a new platform thread per connection, blocking I/O. Simple; each connection costs"
                    + " a kernel thread and its stack, and thread creation per connection.";
            case POOL -> "a fixed pool of platform threads (--threads, default 4 x cores) and a bounded queue"
                    + " (--queue, default " + ServerConfig.DEFAULT_QUEUE + "); a connection beyond both gets 503."
                    + " Bounded cost, but each kept-alive connection holds a thread.";
            case VIRTUAL -> "a virtual thread per connection running the same blocking code (the JVM's"
                    + " coroutines). Tens of thousands of connections for a few KiB each.";
            case POLLING -> "one thread, non-blocking sockets, no selector: each pass tries accept, read and"
                    + " write on every connection and parks briefly when idle. O(n) system calls per pass.";
            case SELECTOR -> "one thread, one event loop, as in nginx with one worker; --selector picks how it"
                    + " learns what is ready: a java.nio Selector (epoll, poll), or the kernel called directly through"
                    + " FFM: select (select(2): rebuilds two bitmaps per wait, and a descriptor past 1,023 cannot be"
                    + " watched: refused with 503), native-poll (poll(2): O(open) per wait, no wall), epoll-lt (epoll,"
                    + " level-triggered: O(ready)), epoll-et (edge-triggered: reported once, read until empty),"
                    + " epoll-oneshot (disarmed after each report, re-armed per step). One core at most, except"
                    + " epoll-oneshot with --threads N: leader/follower, N threads waiting on the one epoll set;"
                    + " one-shot hands each report to one free thread, which re-arms the socket after its step,"
                    + " so threads share a set without two ever on one socket.";
            case REACTOR -> "N event loops (--threads, default = cores), each with its own readiness source"
                    + " (--selector, as for selector); a connection stays on one loop. Uses every core; the default."
                    + " On epoll every loop accepts from the one listening socket, the kernel waking one per new"
                    + " connection (EPOLLEXCLUSIVE); with the JDK's Selector, select or poll an acceptor thread hands"
                    + " them out. --reuseport on: each loop accepts on a listening socket of its own on the port"
                    + " (SO_REUSEPORT), the kernel spreading new connections.";
            case PREFORK -> "a master process and N worker JVMs (--workers, default = cores) sharing the port"
                    + " (SO_REUSEPORT), each a reactor of one loop (--threads for more); the master restarts a worker that dies. Isolation between"
                    + " workers; each costs a whole JVM (~65 MiB, plus ~65 MiB for the master).";
        };
    }

    /** Why the model cannot run in this JVM (on this system), or null when it can. */
    public static String unavailable(ModelKind kind) {
        return kind == ModelKind.PROCESS ? ProcessModel.unavailable() : null;
    }

    /** The width {@link #describe()} fits in. */
    public static final int DESCRIBE_COLUMNS = 100;

    /** Every model: name, then its description wrapped to {@link #DESCRIBE_COLUMNS} under itself. */
    public static String describe() {
        String nl = System.lineSeparator();
        StringBuilder b = new StringBuilder();
        for (Info i : ALL) {
            StringBuilder line = new StringBuilder(String.format("  %-10s", i.name()));
            int indent = line.length() + 1;
            for (String word : i.description().split(" ")) {
                if (line.length() + 1 + word.length() > DESCRIBE_COLUMNS && line.length() > indent) {
                    b.append(line).append(nl);
                    line.setLength(0);
                    line.append(" ".repeat(indent - 1));
                }
                line.append(' ').append(word);
            }
            b.append(line).append(nl);
        }
        return b.toString();
    }

    /**
     * Builds the configured model on one of the configured listen addresses.
     *
     * @throws IllegalStateException when the model cannot run in this JVM (e.g. no poll selector)
     */
    public static Model create(ServerConfig config, Listen address, ServerContext ctx) {
        boolean inherited = InheritedSocket.offered();
        if (inherited && config.model() == ModelKind.PREFORK) {
            throw new IllegalArgumentException("socket activation does not work with --model prefork (its workers open their own sockets)");
        }
        Bind bind = new Bind(new InetSocketAddress(address.host(), address.port()), config.knobs().reusePort(), inherited);
        return switch (config.model()) {
            case ITERATIVE -> new IterativeModel(bind,
                    ctx.withTimeouts(ctx.timeouts().withIdleAtMost(ServerConfig.ITERATIVE_IDLE)));
            case THREADS -> new ThreadsModel(bind, ctx);
            case POOL -> new PoolModel(bind, ctx, config.poolThreads(), config.queue());
            case VIRTUAL -> new VirtualModel(bind, ctx);
            case POLLING -> LoopModel.polling(bind, ctx);
            case SELECTOR -> LoopModel.selector(bind, ctx, config.selector(), config.threads(), config.knobs().tcpNopush());
            case REACTOR -> new ReactorModel(bind, ctx, config.reactorLoops(), config.selector(), config.knobs().tcpNopush(),
                    config.knobs().listenPerLoop());
            case PROCESS -> new ProcessModel(bind, ctx, ChildCommand.of(serverArgs(config, address)));
            case PROCESS_CHILD -> new ChildConnection(ctx);
            case PREFORK -> {
                List<String> args = serverArgs(config, address);
                yield new PreforkModel(bind.address(), config.preforkWorkers(), port -> WorkerCommand.forPort(args, port),
                        ctx.errorLog(), ctx.fatal(), ctx.accessLog()::raw, ctx.timeouts().shutdown());
            }
        };
    }

    /** The arguments the server was started with (what its other processes run), or their equivalent. */
    private static List<String> serverArgs(ServerConfig config, Listen address) {
        return config.knobs().workerArgs().isEmpty() ? WorkerCommand.argsFor(config, address) : config.knobs().workerArgs();
    }
}
