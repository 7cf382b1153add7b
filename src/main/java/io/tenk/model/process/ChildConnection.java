package io.tenk.model.process;

import io.tenk.conn.ServerContext;
import io.tenk.model.Model;
import io.tenk.model.blocking.BlockingModel;

import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.channels.Channel;
import java.nio.channels.SocketChannel;

/**
 * The child side of {@code process}: serves the one connection on its standard input
 * ({@link System#inheritedChannel()}) with the session code of the blocking models, then the
 * process exits. It listens on nothing. A byte (or the end of file) on descriptor 3, the pipe the
 * parent shares with its children, means the server stops: the session then drains (its response
 * finishes, a next request gets {@code Connection: close}).
 *
 * <p>When the channel closes, the JDK points descriptors 0, 1 and 2 at {@code /dev/null} (the
 * inetd convention): what the child logs must be written before, so its access log is unbatched.
 */
public final class ChildConnection implements Model {
    /** The hidden command-line option that makes {@code tenk} such a child. */
    public static final String FLAG = "--process-child";
    private static final String DRAIN = "/proc/self/fd/3";

    private final ServerContext ctx;
    private Model serving;

    public ChildConnection(ServerContext ctx) { this.ctx = ctx; }

    @Override public String name() { return "process"; }

    @Override public void start() throws IOException {
        Channel inherited = System.inheritedChannel();
        if (!(inherited instanceof SocketChannel ch)) {
            throw new IOException("standard input is not a connected socket (" + FLAG + " is for the processes of --model process)");
        }
        serving = BlockingModel.servingOne(ch, ctx, name()); // the one place this model enters model/blocking
        serving.start();
        Thread.ofPlatform().daemon().name("tenk-process-drain").start(this::awaitDrain);
    }

    /** Blocks until the parent says the server stops (a byte) or is gone (end of file), then drains. */
    private void awaitDrain() {
        try (InputStream in = new FileInputStream(DRAIN)) {
            in.read();
        } catch (IOException e) {
            return; // no pipe from a parent: nobody will ask
        }
        serving.stop();
    }

    @Override public InetSocketAddress address() { return serving == null ? new InetSocketAddress(0) : serving.address(); }

    @Override public void stop() {
        if (serving != null) serving.stop();
    }

    @Override public void awaitStopped() throws InterruptedException {
        if (serving != null) serving.awaitStopped();
    }
}
