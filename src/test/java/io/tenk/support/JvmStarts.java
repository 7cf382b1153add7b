package io.tenk.support;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Semaphore;

/**
 * Child JVMs (servers run as processes, prefork's workers) start at most two at a time. A JVM's
 * start-up is a burst of CPU; cases running side by side that all started JVMs at once would
 * starve each other past their timeouts on a two-core machine, so each holds a permit from
 * launching until its JVMs serve, and the rest queue. Servers run in this JVM start their
 * children as {@link ChildJvm} does.
 */
public final class JvmStarts {
    private static final Semaphore PERMITS = new Semaphore(2, true);

    static {
        ChildJvm.configureChildren();
    }

    private JvmStarts() {}

    /** A start-up that may throw {@code E}. */
    @FunctionalInterface
    public interface Start<T, E extends Exception> {
        T run() throws E;
    }

    /** A started process, its stdout, and the first line it printed there (null if it printed none). */
    public record Started(Process process, BufferedReader out, String first) {
        /**
         * Reads the rest of stdout on a daemon thread, so the process never blocks on a full pipe,
         * until the process ends or the stream is closed under the reader.
         */
        public void drain() {
            Thread.ofPlatform().daemon().start(() -> {
                try {
                    out.lines().forEach(l -> { });
                } catch (java.io.UncheckedIOException closed) {
                    // closed under the reader: nothing more to drain
                }
            });
        }
    }

    /** Runs {@code start} (launch, then wait until serving) holding one of the permits. */
    public static <T, E extends Exception> T one(Start<T, E> start) throws E {
        PERMITS.acquireUninterruptibly();
        try {
            return start.run();
        } finally {
            PERMITS.release();
        }
    }

    /** Starts the process of {@code builder} and reads its first line on stdout (a server's banner), holding a permit. */
    public static Started process(ProcessBuilder builder) throws IOException {
        return one(() -> {
            Process p = builder.start();
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            return new Started(p, out, out.readLine());
        });
    }
}
