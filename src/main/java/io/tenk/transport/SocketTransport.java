package io.tenk.transport;


import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SocketChannel;

/**
 * A plain TCP connection on a non-blocking {@link SocketChannel}: reads and writes go straight to
 * the socket, files by {@code sendfile} ({@link FileChannel#transferTo}). Counts the bytes it
 * moves, so a driver can tell a call that did something from one that did not.
 *
 * <p>Given a {@link Cork} ({@link #corkFiles}), a response head followed by a file region goes out
 * corked: TCP_CORK is set before the head is written and cleared once the region's last byte is
 * sent, so the head and the file's first bytes share full segments (nginx's {@code tcp_nopush}).
 */
public class SocketTransport implements RawTransport {
    /** Sets or clears TCP_CORK on a socket (the JDK has no option for it: a model supplies this). */
    @FunctionalInterface
    public interface Cork {
        void cork(SocketChannel ch, boolean on);
    }

    protected final SocketChannel channel;
    private final String remote;
    private boolean outputShut;
    private long bytesIn, bytesOut;
    private Cork cork;               // null: never corked
    private final CorkedRegion corked = new CorkedRegion();
    private boolean corkedToClose;   // the last response: corked until the close

    public SocketTransport(SocketChannel channel) {
        this.channel = channel;
        this.remote = remoteOf(channel);
    }

    /** The peer's address as logs show it ("-" once it is gone). */
    public static String remoteOf(SocketChannel ch) {
        try {
            return ch.getRemoteAddress() instanceof InetSocketAddress a ? a.getAddress().getHostAddress() : "-";
        } catch (IOException e) {
            return "-";
        }
    }

    public SocketChannel channel() { return channel; }

    /** Corks heads followed by file regions with {@code c} (null: never). */
    public SocketTransport corkFiles(Cork c) {
        this.cork = c;
        return this;
    }

    @Override public int read(ByteBuffer dst) throws IOException {
        int n = channel.read(dst);
        if (n > 0) bytesIn += n;
        return n;
    }

    @Override public long write(ByteBuffer[] srcs) throws IOException {
        long n = channel.write(srcs);
        bytesOut += n;
        return n;
    }

    @Override public int write(ByteBuffer src) throws IOException {
        int n = channel.write(src);
        bytesOut += n;
        return n;
    }

    @Override public long sendFile(FileChannel file, long position, long count) throws IOException {
        long n = file.transferTo(position, count, channel);
        bytesOut += n;
        if (corked.ended(file, position, n) && !corkedToClose) {
            cork.cork(channel, false); // the region's last byte: let the partial segment go now
        }
        return n;
    }

    @Override public long sendFile(ByteBuffer head, FileChannel file, long position, long count) throws IOException {
        if (cork != null && !corkedToClose && corked.begin(file, position, count)) cork.cork(channel, true);
        return RawTransport.super.sendFile(head, file, position, count);
    }

    @Override public void lastResponse() {
        if (cork == null || corkedToClose) return;
        corkedToClose = true;
        cork.cork(channel, true);
    }

    @Override public void shutdownOutput() throws IOException {
        if (outputShut) return;
        outputShut = true;
        channel.shutdownOutput();
    }

    @Override public void close() {
        try {
            channel.close();
        } catch (IOException ignored) {
            // closing is best effort
        }
    }

    @Override public String remote() { return remote; }

    @Override public long moved() { return bytesIn + bytesOut; }
}
