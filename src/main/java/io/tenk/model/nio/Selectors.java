package io.tenk.model.nio;

import io.tenk.config.SelectorKind;

import java.nio.channels.spi.SelectorProvider;

/**
 * The Selector implementations a user may pick with {@code --selector}: the JDK's default (epoll
 * on Linux) or its poll(2) one. The poll provider lives in {@code sun.nio.ch}, which the tenk jar
 * exports to itself ({@code Add-Exports} in its manifest; tests pass {@code --add-exports}).
 * A model opens its listening socket and selectors from the chosen provider, so the choice is
 * per model, not per JVM.
 */
public final class Selectors {
    private static final String POLL = "sun.nio.ch.PollSelectorProvider";

    private Selectors() {}

    /** The provider for a kind; IllegalStateException with a user-facing message when unavailable. */
    public static SelectorProvider provider(SelectorKind kind) {
        SelectorProvider dflt = SelectorProvider.provider();
        return switch (kind) {
            case EPOLL -> dflt;
            case POLL -> {
                if (dflt.getClass().getName().equals(POLL)) yield dflt;
                try {
                    yield (SelectorProvider) Class.forName(POLL).getConstructor().newInstance();
                } catch (ReflectiveOperationException | RuntimeException e) {
                    throw new IllegalStateException("the poll selector is not available in this JVM"
                            + " (run with --add-exports java.base/sun.nio.ch=ALL-UNNAMED, as the tenk launcher does)");
                }
            }
        };
    }
}
