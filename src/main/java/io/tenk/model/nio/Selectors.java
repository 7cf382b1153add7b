package io.tenk.model.nio;

import io.tenk.config.SelectorKind;
import io.tenk.transport.SocketTransport;

import java.io.IOException;
import java.nio.channels.spi.SelectorProvider;

/**
 * The event mechanisms a user may pick with {@code --selector} for {@code selector} and
 * {@code reactor}. Two are java.nio Selectors: the JDK's default ({@code epoll}, level-triggered)
 * or its poll(2) one ({@code poll}). The others call the kernel directly through FFM
 * ({@link Native}), so each can be seen and measured on its own: {@code select} (select(2) and
 * its 1,024-descriptor wall), {@code native-poll} (poll(2)), {@code epoll-lt}, {@code epoll-et}
 * (edge-triggered) and {@code epoll-oneshot}. The JDK's poll provider lives in {@code sun.nio.ch},
 * as do socket descriptors; the tenk jar exports it to itself ({@code Add-Exports} in its
 * manifest; tests pass {@code --add-exports}). A model opens its listening socket and readiness
 * sources from the chosen kind, so the choice is per model, not per JVM.
 */
public final class Selectors {
    private static final String POLL = "sun.nio.ch.PollSelectorProvider";

    private Selectors() {}

    /**
     * The provider a model opens its sockets with for {@code kind} (the JDK's default for the
     * native kinds); IllegalStateException with a user-facing message when unavailable.
     */
    public static SelectorProvider provider(SelectorKind kind) {
        SelectorProvider dflt = SelectorProvider.provider();
        if (kind != SelectorKind.POLL || dflt.getClass().getName().equals(POLL)) return dflt;
        try {
            return (SelectorProvider) Class.forName(POLL).getConstructor().newInstance();
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IllegalStateException("the poll selector is not available in this JVM"
                    + " (run with --add-exports java.base/sun.nio.ch=ALL-UNNAMED, as the tenk launcher does)");
        }
    }

    /** Opens one event loop's readiness source of {@code kind} (sockets from {@code provider}). */
    static Readiness open(SelectorKind kind, SelectorProvider provider) throws IOException {
        return switch (kind) {
            case EPOLL, POLL -> new SelectorReadiness(provider.openSelector());
            case SELECT -> new SelectReadiness();
            case NATIVE_POLL -> new PollReadiness();
            case EPOLL_LT -> new EpollReadiness(EpollReadiness.Mode.LEVEL);
            case EPOLL_ET -> new EpollReadiness(EpollReadiness.Mode.EDGE);
            case EPOLL_ONESHOT -> new EpollReadiness(EpollReadiness.Mode.ONESHOT);
        };
    }

    /**
     * What corks a connection's file responses ({@code --tcp-nopush}): TCP_CORK through FFM, or
     * null when {@code on} is false or the sockets' descriptors cannot be reached (the class path
     * without the jar's export of sun.nio.ch: nothing is corked then). IllegalStateException with
     * a user-facing message off Linux, where it is off unless asked for.
     */
    static SocketTransport.Cork cork(boolean on) {
        if (!on) return null;
        if (!linux()) throw new IllegalStateException("--tcp-nopush sets TCP_CORK, which only Linux has: turn it off here");
        return ChannelFds.available() ? TcpCork.INSTANCE : null;
    }

    private static boolean linux() { return System.getProperty("os.name", "").startsWith("Linux"); }

    /** Fails early, with a user-facing message, when {@code kind} cannot run in this JVM. */
    static void check(SelectorKind kind) {
        provider(kind);
        if (kind.jdk()) return;
        // before Native is loaded: its symbols exist on Linux only
        if (!linux()) {
            throw new IllegalStateException("--selector " + kind.id() + " calls Linux directly: use epoll or poll on this system");
        }
        Native.check();
    }
}
