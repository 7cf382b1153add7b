package io.tenk.model.nio;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The socket system calls on a bare descriptor, for {@link FdTransport}, through {@link Syscall}:
 * {@code accept4} (non-blocking and close-on-exec in the one call, where the JDK's accept adds
 * three {@code fcntl} and two {@code getsockname} per connection), {@code read}, {@code write},
 * {@code writev} ({@code send} and {@code sendmsg} with MSG_MORE for a connection's last
 * response), {@code sendfile}, {@code shutdown}, {@code setsockopt} and {@code close}.
 *
 * <p>Every call returns what the kernel returned, or {@code -errno}. Buffers are passed by address:
 * a direct buffer's own memory, a heap buffer's bytes through the calling thread's direct staging
 * buffer, as the JDK's channels do, so no call allocates. The layouts are Linux's on x86-64 and
 * AArch64.
 */
final class NativeSocket {
    static final int EAGAIN = 11, EINTR = 4, ECONNABORTED = 103;
    static final int IPPROTO_TCP = 6, TCP_NODELAY = 1, TCP_CORK = 3;
    private static final int SOCK_NONBLOCK = 0x800, SOCK_CLOEXEC = 0x80000, SHUT_WR = 1, MSG_MORE = 0x8000;
    /** The most buffers one gathering write passes (the JDK's channels pass up to IOV_MAX). */
    static final int MAX_IOV = 16;
    /** A thread's staging buffer for heap bytes: what one read or write of heap bytes moves at most. */
    static final int STAGING = 64 * 1024;
    private static final int SOCKADDR = 128;

    private static final MethodHandle FILE_FD; // FileChannelImpl.fd, or null where not opened to tenk
    private static final MethodHandle FD_VAL;  // IOUtil.fdVal(FileDescriptor)

    static {
        MethodHandle fileFd = null, fdVal = null;
        try {
            Class<?> impl = Class.forName("sun.nio.ch.FileChannelImpl");
            fileFd = MethodHandles.privateLookupIn(impl, MethodHandles.lookup())
                    .findGetter(impl, "fd", java.io.FileDescriptor.class);
            fdVal = MethodHandles.lookup().findStatic(Class.forName("sun.nio.ch.IOUtil"), "fdVal",
                    java.lang.invoke.MethodType.methodType(int.class, java.io.FileDescriptor.class));
        } catch (ReflectiveOperationException | RuntimeException e) {
            fileFd = null; // not opened to tenk: available() says so
        }
        FILE_FD = fileFd;
        FD_VAL = fdVal;
    }

    private NativeSocket() {}

    /**
     * Whether this JVM lets tenk reach a file channel's descriptor for {@code sendfile}
     * ({@code --add-opens java.base/sun.nio.ch}, which the launcher and the jar give): without it,
     * connections stay on the JDK's channels.
     */
    static boolean available() { return FILE_FD != null && FD_VAL != null; }

    /** What one thread passes to the kernel: errno, an address, iovecs, staging for heap bytes. */
    static final class Scratch {
        final MemorySegment errno, sockaddr, iov, msghdr, value, staging;
        final long sockaddrAt, addrLenAt, iovAt, msghdrAt, valueAt, offsetAt, stagingAt;
        final ByteBuffer stagingBuffer;
        /** The direct buffer last passed, and where its memory begins: buffers are reused, so this is usually a hit. */
        ByteBuffer lastDirect;
        long lastDirectBase;

        Scratch() {
            Arena arena = Arena.ofAuto();
            errno = arena.allocate(Syscall.STATE);
            sockaddr = arena.allocate(SOCKADDR + 8, 8);
            iov = arena.allocate(16L * MAX_IOV, 8);
            msghdr = arena.allocate(56, 8); // struct msghdr: no name, the iovecs above, no control data
            value = arena.allocate(16, 8);
            staging = arena.allocate(STAGING, 64);
            sockaddrAt = sockaddr.address();
            addrLenAt = sockaddrAt + SOCKADDR;
            iovAt = iov.address();
            msghdrAt = msghdr.address();
            msghdr.set(JAVA_LONG, 16, iovAt);
            valueAt = value.address();
            offsetAt = valueAt + 8;
            stagingAt = staging.address();
            stagingBuffer = staging.asByteBuffer();
        }

        /** The address of {@code b}'s byte at index 0 (a direct buffer). */
        long base(ByteBuffer b) {
            if (b != lastDirect) {
                lastDirectBase = MemorySegment.ofBuffer(b).address() - b.position();
                lastDirect = b;
            }
            return lastDirectBase;
        }

    }

    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    static Scratch scratch() { return SCRATCH.get(); }

    /** accept4: a non-blocking connection's descriptor, its peer's address left in the scratch; or -errno. */
    static int accept(Scratch s, int serverFd) {
        s.sockaddr.set(JAVA_INT, SOCKADDR, SOCKADDR);
        return (int) Syscall.callCapturing(s.errno, Syscall.ACCEPT4, serverFd, s.sockaddrAt, s.addrLenAt, SOCK_NONBLOCK | SOCK_CLOEXEC, 0, 0);
    }

    /**
     * The next queued connection's descriptor, or -1 when none is queued; a client that left
     * before it was accepted is passed over. Other failures (no descriptors left) are thrown.
     */
    static int acceptNext(Scratch s, int serverFd) throws IOException {
        int fd;
        do fd = accept(s, serverFd);
        while (fd == -EINTR || fd == -ECONNABORTED);
        if (fd == -EAGAIN) return -1;
        if (fd < 0) throw failure("accept", -fd);
        return fd;
    }

    /**
     * The peer's IPv4 address of the last {@link #accept} as an unsigned int (an IPv4-mapped IPv6
     * one too), or -1 for any other address.
     */
    static long peerIpv4(Scratch s) {
        int length = s.sockaddr.get(JAVA_INT, SOCKADDR);
        int family = (s.sockaddr.get(JAVA_BYTE, 0) & 0xff) | (s.sockaddr.get(JAVA_BYTE, 1) & 0xff) << 8;
        int at;
        if (family == 2 && length >= 8) at = 4; // sockaddr_in: family, port, address
        else if (family == 10 && length >= 24 && ipv4Mapped(s.sockaddr)) at = 20; // sockaddr_in6: ..., flow, ::ffff:a.b.c.d
        else return -1;
        long a = 0;
        for (int i = 0; i < 4; i++) a = a << 8 | (s.sockaddr.get(JAVA_BYTE, at + i) & 0xff);
        return a;
    }

    private static boolean ipv4Mapped(MemorySegment sockaddr) {
        for (int i = 8; i < 18; i++) if (sockaddr.get(JAVA_BYTE, i) != 0) return false;
        return sockaddr.get(JAVA_BYTE, 18) == (byte) 0xff && sockaddr.get(JAVA_BYTE, 19) == (byte) 0xff;
    }

    /** The peer's address of the last {@link #accept}, as {@code sockaddr} bytes (family, port, address). */
    static byte[] peer(Scratch s) {
        byte[] peer = new byte[Math.clamp(s.sockaddr.get(JAVA_INT, SOCKADDR), 0, SOCKADDR)];
        MemorySegment.copy(s.sockaddr, java.lang.foreign.ValueLayout.JAVA_BYTE, 0, peer, 0, peer.length);
        return peer;
    }

    static long read(Scratch s, int fd, long address, long count) {
        return Syscall.retrying(s.errno, Syscall.READ, fd, address, count, 0);
    }

    /** write(2); with {@code more}, send with MSG_MORE, as {@link #writev}. */
    static long write(Scratch s, int fd, long address, long count, boolean more) {
        return more ? Syscall.retrying(s.errno, Syscall.SENDTO, fd, address, count, MSG_MORE)
                : Syscall.retrying(s.errno, Syscall.WRITE, fd, address, count, 0);
    }

    /**
     * writev over the first {@code count} iovecs of the scratch; with {@code more}, sendmsg with
     * MSG_MORE instead: a last partial segment waits for more bytes or the FIN.
     */
    static long writev(Scratch s, int fd, int count, boolean more) {
        if (!more) return Syscall.retrying(s.errno, Syscall.WRITEV, fd, s.iovAt, count, 0);
        s.msghdr.set(JAVA_LONG, 24, count);
        return Syscall.retrying(s.errno, Syscall.SENDMSG, fd, s.msghdrAt, MSG_MORE, 0);
    }

    /** Sets iovec {@code i} of the scratch. */
    static void iov(Scratch s, int i, long address, long length) {
        s.iov.set(JAVA_LONG, 16L * i, address);
        s.iov.set(JAVA_LONG, 16L * i + 8, length);
    }

    /** sendfile from {@code fileFd} at {@code position}: bytes sent, or -errno. */
    static long sendfile(Scratch s, int fd, int fileFd, long position, long count) {
        s.value.set(JAVA_LONG, 8, position);
        return Syscall.retrying(s.errno, Syscall.SENDFILE, fd, fileFd, s.offsetAt, count);
    }

    /** shutdown(SHUT_WR); 0 or -errno. */
    static int shutdownOutput(Scratch s, int fd) {
        return (int) Syscall.call(s.errno, Syscall.SHUTDOWN, fd, SHUT_WR, 0, 0, 0, 0);
    }

    /** A TCP option on or off; 0 or -errno. */
    static int tcpOption(Scratch s, int fd, int option, boolean on) {
        s.value.set(JAVA_INT, 0, on ? 1 : 0);
        return (int) Syscall.call(s.errno, Syscall.SETSOCKOPT, fd, IPPROTO_TCP, option, s.valueAt, 4, 0);
    }

    /** close(2): the descriptor is released whatever it reports. */
    static void close(int fd) {
        Syscall.close(fd);
    }

    /** The descriptor of an open file channel (-1 once closed). */
    static int fdOf(FileChannel file) {
        try {
            return (int) FD_VAL.invoke(FILE_FD.invoke(file));
        } catch (Throwable t) {
            throw new IllegalStateException("no descriptor for " + file, t);
        }
    }

    /** What an error number means, as the JDK words the common ones. */
    static IOException failure(String call, int errno) {
        String what = switch (errno) {
            case 9 -> "Bad file descriptor";
            case 12 -> "Cannot allocate memory";
            case 23 -> "Too many open files in system";
            case 24 -> "Too many open files";
            case 32 -> "Broken pipe";
            case 103 -> "Software caused connection abort";
            case 104 -> "Connection reset by peer";
            case 105 -> "No buffer space available";
            case 110 -> "Connection timed out";
            default -> "errno " + errno;
        };
        return new IOException(what + " (" + call + ")");
    }
}
