package io.tenk.model.nio;

import io.tenk.conn.Step;

import java.io.IOException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.util.List;
import java.util.function.Consumer;

/**
 * Readiness from a {@link Selector} (epoll, or poll(2), underneath: see {@link Selectors}):
 * work in proportion to the connections that are ready, whatever the number waiting.
 */
final class SelectorReadiness implements Readiness {
    private final Selector selector;
    private SelectionKey serverKey;

    SelectorReadiness(Selector selector) { this.selector = selector; }

    @Override public void listen(ServerSocketChannel server) throws IOException {
        serverKey = server.register(selector, SelectionKey.OP_ACCEPT);
    }

    @Override public void accepting(boolean on) {
        if (serverKey != null && serverKey.isValid()) serverKey.interestOps(on ? SelectionKey.OP_ACCEPT : 0);
    }

    @Override public void add(Registration r) throws IOException {
        r.interest = SelectionKey.OP_READ;
        r.token = r.channel.register(selector, SelectionKey.OP_READ, r);
    }

    @Override public void waitFor(Registration r, Step step) {
        int ops = step == Step.WRITE ? SelectionKey.OP_WRITE : SelectionKey.OP_READ;
        if (r.interest != ops) {
            r.interest = ops;
            ((SelectionKey) r.token).interestOps(ops);
        }
    }

    @Override public void remove(Registration r) {
        if (r.token != null) ((SelectionKey) r.token).cancel();
    }

    /** A cancelled key is deregistered, and its socket let go of, when the next select begins. */
    @Override public boolean forgetsOnNextPoll() { return true; }

    @Override public void poll(long timeoutNanos, List<Registration> all, Events events) throws IOException {
        if (events != dispatchTo) { // made once for the loop's events, not once a poll
            dispatchTo = events;
            dispatch = key -> {
                if (!key.isValid()) return;
                if (key == serverKey) events.acceptable();
                else events.ready((Registration) key.attachment());
            };
        }
        selector.select(dispatch, Math.max(1, timeoutNanos / 1_000_000));
    }

    private Events dispatchTo;
    private Consumer<SelectionKey> dispatch;

    @Override public void wakeup() { selector.wakeup(); }

    @Override public void close() {
        try {
            selector.close();
        } catch (IOException ignored) {
            // nothing left to release
        }
    }
}
