package io.tenk.model;

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

import java.net.InetSocketAddress;
import java.util.List;

/** The registry of models: names, one-line descriptions (how it works, what it costs), and construction. */
public final class Models {

    /** A model's name and what a user should know about it. */
    public record Info(String name, String description) {}

    public static final List<Info> ALL = List.of(
            new Info("iterative", "one connection at a time on one thread, blocking I/O; the next client waits until"
                    + " the current one closes or idles out (idle timeout cut to "
                    + ServerConfig.ITERATIVE_IDLE.toSeconds() + " s). Costs one thread; serves one client at a time."),
            new Info("threads", "a new platform thread per connection, blocking I/O. Simple; each connection costs"
                    + " a kernel thread and its stack, and thread creation per connection."),
            new Info("pool", "a fixed pool of platform threads (--threads, default 4 x cores) and a bounded queue"
                    + " (--queue, default " + ServerConfig.DEFAULT_QUEUE + "); a connection beyond both gets 503."
                    + " Bounded cost, but each kept-alive connection holds a thread."),
            new Info("virtual", "a virtual thread per connection running the same blocking code (the JVM's"
                    + " coroutines). Tens of thousands of connections for a few KiB each."),
            new Info("polling", "one thread, non-blocking sockets, no selector: each pass tries accept, read and"
                    + " write on every connection and parks briefly when idle. O(n) system calls per pass."),
            new Info("selector", "one thread, one event loop, as in nginx with one worker; --selector picks how it"
                    + " learns what is ready: a java.nio Selector (epoll, poll), or the kernel called directly through"
                    + " FFM: select (select(2): rebuilds two bitmaps per wait, and a descriptor past 1,023 cannot be"
                    + " watched: refused with 503), native-poll (poll(2): O(open) per wait, no wall), epoll-lt (epoll,"
                    + " level-triggered: O(ready)), epoll-et (edge-triggered: reported once, read until empty),"
                    + " epoll-oneshot (disarmed after each report, re-armed per step). One core at most."),
            new Info("reactor", "an acceptor and N event loops (--threads, default = cores), each with its own"
                    + " readiness source (--selector, as for selector); a connection stays on one loop. Uses every core; the default."),
            new Info("prefork", "a master process and N worker JVMs (--workers, default = cores) sharing the port"
                    + " (SO_REUSEPORT), each a reactor; the master restarts a worker that dies. Isolation between"
                    + " workers; each costs a whole JVM (~65 MiB, plus ~65 MiB for the master)."));

    private Models() {}

    public static boolean exists(String name) {
        return ALL.stream().anyMatch(i -> i.name().equals(name));
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
     * Builds the named model.
     *
     * @throws IllegalArgumentException for an unknown name
     * @throws IllegalStateException    when the model cannot run in this JVM (e.g. no poll selector)
     */
    public static Model create(ServerConfig config, ServerContext ctx) {
        Bind bind = new Bind(new InetSocketAddress(config.bindHost(), config.port()), config.knobs().reusePort());
        return switch (config.model()) {
            case "iterative" -> new IterativeModel(bind,
                    ctx.withTimeouts(ctx.timeouts().withIdleAtMost(ServerConfig.ITERATIVE_IDLE)));
            case "threads" -> new ThreadsModel(bind, ctx);
            case "pool" -> new PoolModel(bind, ctx, config.poolThreads(), config.queue());
            case "virtual" -> new VirtualModel(bind, ctx);
            case "polling" -> LoopModel.polling(bind, ctx);
            case "selector" -> LoopModel.selector(bind, ctx, config.selector());
            case "reactor" -> new ReactorModel(bind, ctx, config.reactorLoops(), config.selector());
            case "prefork" -> {
                List<String> args = config.knobs().workerArgs().isEmpty()
                        ? WorkerCommand.argsFor(config) : config.knobs().workerArgs();
                yield new PreforkModel(bind.address(), config.preforkWorkers(), port -> WorkerCommand.forPort(args, port),
                        ctx.errorLog(), ctx.fatal(), ctx.accessLog()::raw, ctx.timeouts().shutdown());
            }
            default -> throw new IllegalArgumentException("unknown model: " + config.model());
        };
    }
}
