package io.tenk.model.nio;

import io.tenk.transport.CorkedRegion;
import io.tenk.transport.RawTransport;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.Arrays;

/**
 * A plain TCP connection on its bare descriptor ({@link NativeSocket}), for the loops whose
 * readiness source calls the kernel directly: the same work as a {@code SocketTransport} over a
 * JDK channel, less what the channel adds per connection (three {@code fcntl}, two
 * {@code getsockname}, and an {@code epoll_ctl} to forget a socket that {@code close} forgets
 * anyway) and the channel's objects (its descriptor, cleaner and locks).
 *
 * <p>Loop thread only (or, on a shared set, whichever loop holds the connection's registration).
 * Corks a response head followed by a file region as {@code SocketTransport} does, when asked.
 */
final class FdTransport implements RawTransport {
    private int fd;                // -1 once closed
    // the peer's address, formatted only when a log asks: an IPv4 one (IPv4-mapped too) as an int,
    // any other as the sockaddr accept4 gave (an idle connection holds as little as it can)
    private final int peerIpv4;
    private final byte[] peer;     // null: peerIpv4
    private final boolean corkFiles;
    private CorkedRegion corked;   // made for the first file sent corked (null: none yet)
    private String remote;
    private boolean outputShut;
    private boolean last;          // the last response: its last partial segment waits for the FIN
    private byte writes;           // 0: none yet; 1: one, TCP_NODELAY before the next; 2: TCP_NODELAY set
    private long moved;            // bytes read and written

    /** The connection {@link NativeSocket#accept} left in the scratch, on {@code fd}. */
    static FdTransport accepted(int fd, NativeSocket.Scratch s, boolean corkFiles) {
        long ipv4 = NativeSocket.peerIpv4(s);
        return new FdTransport(fd, (int) ipv4, ipv4 < 0 ? NativeSocket.peer(s) : null, corkFiles);
    }

    private FdTransport(int fd, int peerIpv4, byte[] peer, boolean corkFiles) {
        this.fd = fd;
        this.peerIpv4 = peerIpv4;
        this.peer = peer;
        this.corkFiles = corkFiles;
    }

    int fd() { return fd; }

    @Override public int read(ByteBuffer dst) throws IOException {
        int want = dst.remaining();
        if (want == 0) return 0;
        NativeSocket.Scratch s = NativeSocket.scratch();
        int pos = dst.position();
        long n;
        if (dst.isDirect()) {
            n = NativeSocket.read(s, open(), s.base(dst) + pos, want);
            if (n > 0) dst.position(pos + (int) n);
        } else {
            n = NativeSocket.read(s, open(), s.stagingAt, Math.min(want, NativeSocket.STAGING));
            if (n > 0) dst.put(s.stagingBuffer.limit((int) n).position(0));
        }
        if (n > 0) {
            moved += n;
            return (int) n;
        }
        if (n == 0) return -1;
        if (n == -NativeSocket.EAGAIN) return 0;
        throw NativeSocket.failure("read", (int) -n);
    }

    @Override public int write(ByteBuffer src) throws IOException {
        int want = src.remaining();
        if (want == 0) return 0;
        NativeSocket.Scratch s = NativeSocket.scratch();
        int pos = src.position();
        long n;
        if (src.isDirect()) {
            n = NativeSocket.write(s, writable(s), s.base(src) + pos, want, last);
        } else {
            int len = Math.min(want, NativeSocket.STAGING);
            s.stagingBuffer.clear().put(0, src, pos, len);
            n = NativeSocket.write(s, writable(s), s.stagingAt, len, last);
        }
        return (int) wrote(src, pos, n);
    }

    @Override public long write(ByteBuffer[] srcs) throws IOException {
        NativeSocket.Scratch s = NativeSocket.scratch();
        int count = 0;
        int staged = 0;
        for (int i = 0; i < srcs.length && count < NativeSocket.MAX_IOV; i++) {
            ByteBuffer b = srcs[i];
            int len = b.remaining();
            if (len == 0) continue;
            if (b.isDirect()) {
                NativeSocket.iov(s, count++, s.base(b) + b.position(), len);
            } else {
                len = Math.min(len, NativeSocket.STAGING - staged);
                if (len == 0) break;
                s.stagingBuffer.clear().put(staged, b, b.position(), len);
                NativeSocket.iov(s, count++, s.stagingAt + staged, len);
                staged += len;
                if (len < b.remaining()) break; // the staging buffer is full: the rest goes next call
            }
        }
        if (count == 0) return 0;
        long n = NativeSocket.writev(s, writable(s), count, last);
        if (n == -NativeSocket.EAGAIN) return 0;
        if (n < 0) throw NativeSocket.failure("writev", (int) -n);
        counted(n);
        long left = n; // advance the buffers past what went
        for (int i = 0; i < srcs.length && left > 0; i++) {
            ByteBuffer b = srcs[i];
            int take = (int) Math.min(left, b.remaining());
            b.position(b.position() + take);
            left -= take;
        }
        return n;
    }

    /**
     * The descriptor to write to, with TCP_NODELAY set before its second write, not at accept:
     * Linux's Nagle (with Minshall's change) never holds back a connection's first write, so a
     * response sent whole and followed by the close (HTTP/1.0, {@code Connection: close}) needs no
     * {@code setsockopt}; any later write (the next response, a body after its head) could wait
     * for an ACK without it, and gets it, as nginx sets it when a connection is kept alive.
     */
    private int writable(NativeSocket.Scratch s) throws IOException {
        int fd = open();
        if (writes == 1) {
            writes = 2;
            NativeSocket.tcpOption(s, fd, NativeSocket.TCP_NODELAY, true); // a failure shows on the write
        }
        return fd;
    }

    /** Accounts a write of {@code n} (or -errno) from {@code src} at {@code pos}. */
    private long wrote(ByteBuffer src, int pos, long n) throws IOException {
        if (n >= 0) {
            src.position(pos + (int) n);
            counted(n);
            return n;
        }
        if (n == -NativeSocket.EAGAIN) return 0;
        throw NativeSocket.failure("write", (int) -n);
    }

    @Override public long sendFile(FileChannel file, long position, long count) throws IOException {
        if (count <= 0) return 0;
        int fileFd = NativeSocket.fdOf(file);
        if (fileFd < 0) throw new IOException("the file was closed");
        NativeSocket.Scratch s = NativeSocket.scratch();
        long n = NativeSocket.sendfile(s, writable(s), fileFd, position, Math.min(count, Integer.MAX_VALUE));
        if (n == -NativeSocket.EAGAIN) n = 0;
        else if (n < 0) throw NativeSocket.failure("sendfile", (int) -n);
        counted(n);
        if (corked != null && corked.ended(file, position, n) && !last) {
            NativeSocket.tcpOption(s, fd, NativeSocket.TCP_CORK, false); // the region's last byte: let the partial segment go now
        }
        return n;
    }

    @Override public long sendFile(ByteBuffer head, FileChannel file, long position, long count) throws IOException {
        if (corkFiles && corked().begin(file, position, count)) {
            NativeSocket.tcpOption(NativeSocket.scratch(), open(), NativeSocket.TCP_CORK, true);
        }
        return RawTransport.super.sendFile(head, file, position, count);
    }

    /** Counts {@code n} bytes written; the first that went makes TCP_NODELAY due before the next write. */
    private void counted(long n) {
        moved += n;
        if (n > 0 && writes == 0) writes = 1;
    }

    private CorkedRegion corked() {
        if (corked == null) corked = new CorkedRegion();
        return corked;
    }

    /** Writes with MSG_MORE from now on, and leaves a file region corked: the close sends the rest with the FIN. */
    @Override public void lastResponse() {
        if (corkFiles) last = true;
    }

    @Override public void shutdownOutput() throws IOException {
        if (outputShut) return;
        outputShut = true;
        int r = NativeSocket.shutdownOutput(NativeSocket.scratch(), open());
        if (r < 0) throw NativeSocket.failure("shutdown", -r);
    }

    @Override public void close() {
        if (fd < 0) return;
        NativeSocket.close(fd);
        fd = -1;
    }

    private int open() throws IOException {
        if (fd < 0) throw new IOException("Socket closed");
        return fd;
    }

    @Override public String remote() {
        if (remote == null) remote = peer == null ? formatIpv4(peerIpv4) : format(peer);
        return remote;
    }

    @Override public long moved() { return moved; }

    /** An IPv4 address as logs show it (dotted quad). */
    static String formatIpv4(int a) {
        return (a >>> 24) + "." + (a >>> 16 & 0xff) + "." + (a >>> 8 & 0xff) + "." + (a & 0xff);
    }

    /** An IPv4 or IPv6 {@code sockaddr}'s address as logs show it (an IPv4-mapped one as IPv4). */
    static String format(byte[] sockaddr) {
        if (sockaddr.length < 2) return "-";
        int family = (sockaddr[0] & 0xff) | (sockaddr[1] & 0xff) << 8;
        byte[] address;
        if (family == 2 && sockaddr.length >= 8) address = Arrays.copyOfRange(sockaddr, 4, 8);
        else if (family == 10 && sockaddr.length >= 24) address = Arrays.copyOfRange(sockaddr, 8, 24);
        else return "-";
        try {
            return InetAddress.getByAddress(address).getHostAddress();
        } catch (UnknownHostException e) {
            return "-";
        }
    }
}
