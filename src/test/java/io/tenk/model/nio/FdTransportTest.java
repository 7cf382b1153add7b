package io.tenk.model.nio;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A connection on its bare descriptor, accepted with {@code accept4} from a JDK listening socket,
 * against a real client socket: reads and writes from heap and direct buffers, a gathering write
 * larger than the staging buffer, a corked head and file region by {@code sendfile}, the peer's
 * address, TCP_NODELAY left off until the second write, and the errors of a peer that is gone.
 */
class FdTransportTest {
    private ServerSocketChannel server;
    private Socket client;
    private FdTransport t;

    @BeforeEach void connect() throws IOException {
        server = ServerSocketChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        server.configureBlocking(false);
        client = new Socket();
        client.connect(server.getLocalAddress(), 5_000);
        client.setSoTimeout(10_000);
        t = accept(server, true);
    }

    /** The connection waiting on {@code listening}, accepted as a bare descriptor. */
    private static FdTransport accept(ServerSocketChannel listening, boolean corkFiles) {
        NativeSocket.Scratch s = NativeSocket.scratch();
        int fd;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while ((fd = NativeSocket.accept(s, ChannelFds.of(listening))) == -NativeSocket.EAGAIN) {
            assertTrue(System.nanoTime() < deadline, "the connection reaches the accept queue");
            Thread.onSpinWait();
        }
        assertTrue(fd >= 0, "accept4 gives a descriptor: " + fd);
        return FdTransport.accepted(fd, s, corkFiles);
    }

    @AfterEach void close() throws IOException {
        t.close();
        client.close();
        server.close();
    }

    @Test void readsIntoHeapAndDirectBuffersAndSaysWhenNothingIsThere() throws IOException {
        ByteBuffer heap = ByteBuffer.allocate(64);
        assertEquals(0, t.read(heap), "nothing sent yet: 0, not a wait");
        client.getOutputStream().write("hello".getBytes(StandardCharsets.US_ASCII));
        assertEquals(5, readSome(heap));
        assertEquals("hello", new String(heap.array(), 0, heap.position(), StandardCharsets.US_ASCII));
        ByteBuffer direct = ByteBuffer.allocateDirect(64).position(3);
        client.getOutputStream().write("world".getBytes(StandardCharsets.US_ASCII));
        assertEquals(5, readSome(direct));
        assertEquals(8, direct.position());
        byte[] got = new byte[5];
        direct.get(3, got);
        assertEquals("world", new String(got, StandardCharsets.US_ASCII));
        client.shutdownOutput();
        assertEquals(-1, readSome(ByteBuffer.allocate(8)), "the peer finished sending");
        assertEquals(10, t.moved());
    }

    @Test void theLogsSeeThePeersAddress() {
        assertEquals("127.0.0.1", t.remote());
        byte[] v6 = new byte[28];
        v6[0] = 10;
        v6[23] = 1; // ::1
        assertEquals("0:0:0:0:0:0:0:1", FdTransport.format(v6));
        assertEquals("-", FdTransport.format(new byte[] {1, 0}), "a family that is not IP");
    }

    @Test void aDualStackSocketShowsAnIpv4PeerAsIpv4AndAnIpv6PeerAsIpv6() throws IOException {
        try (ServerSocketChannel dual = ServerSocketChannel.open()) {
            try {
                dual.bind(new InetSocketAddress(InetAddress.getByName("::"), 0));
            } catch (IOException e) {
                Assumptions.abort("no IPv6 on this machine: " + e.getMessage());
            }
            dual.configureBlocking(false);
            int port = ((InetSocketAddress) dual.getLocalAddress()).getPort();
            assertEquals("127.0.0.1", remoteOfAccepted(dual, InetAddress.getByName("127.0.0.1"), port),
                    "an IPv4-mapped address, as the client sent it");
            assertEquals("0:0:0:0:0:0:0:1", remoteOfAccepted(dual, InetAddress.getByName("::1"), port));
        }
    }

    private static String remoteOfAccepted(ServerSocketChannel listening, InetAddress from, int port) throws IOException {
        try (Socket c = new Socket()) {
            c.connect(new InetSocketAddress(from, port), 5_000);
            FdTransport accepted = accept(listening, false);
            try {
                return accepted.remote();
            } finally {
                accepted.close();
            }
        }
    }

    @Test void aGatheringWriteOfHeapBytesLargerThanTheStagingBufferArrivesWhole() throws Exception {
        byte[] head = "HEAD\r\n".getBytes(StandardCharsets.US_ASCII);
        byte[] body = new byte[3 * NativeSocket.STAGING + 123];
        new Random(7).nextBytes(body);
        ByteBuffer h = ByteBuffer.allocateDirect(head.length).put(head).flip();
        ByteBuffer b = ByteBuffer.wrap(body);
        CompletableFuture<byte[]> received = readAll(head.length + body.length);
        ByteBuffer[] srcs = {h, b};
        long total = 0;
        while (h.hasRemaining() || b.hasRemaining()) {
            long n = t.write(srcs);
            assertTrue(n <= head.length + NativeSocket.STAGING, "one call moves at most what one staging buffer holds");
            total += n;
            if (n == 0) Thread.onSpinWait(); // the client's window is full: it reads on another thread
        }
        assertEquals(head.length + body.length, total);
        byte[] got = received.get(10, TimeUnit.SECONDS);
        assertArrayEquals(head, Arrays.copyOf(got, head.length));
        assertArrayEquals(body, Arrays.copyOfRange(got, head.length, got.length));
    }

    @Test void aHeadAndAFileRegionGoOutCorkedBySendfile(@TempDir Path dir) throws Exception {
        byte[] content = new byte[16 << 20]; // more than the socket's buffers hold: the first call cannot send it all
        new Random(11).nextBytes(content);
        Path file = Files.write(dir.resolve("f.bin"), content);
        byte[] head = "HTTP/1.1 200 OK\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        int from = 1_000, count = content.length - 2_000;
        CompletableFuture<byte[]> received;
        try (FileChannel fc = FileChannel.open(file)) {
            ByteBuffer h = ByteBuffer.allocateDirect(head.length).put(head).flip();
            long sent = t.sendFile(h, fc, from, count);
            assertTrue(sent < head.length + count, "the client has not read yet: " + sent);
            assertEquals(1, tcpOption(t.fd(), NativeSocket.TCP_CORK), "corked while the region is under way");
            received = readAll(head.length + count);
            while (sent < head.length + count) {
                long n = h.hasRemaining() ? t.write(h) : t.sendFile(fc, from + sent - head.length, count - (sent - head.length));
                sent += n;
                if (n == 0) Thread.onSpinWait();
            }
        }
        assertEquals(0, tcpOption(t.fd(), NativeSocket.TCP_CORK), "uncorked after the region's last byte");
        byte[] got = received.get(10, TimeUnit.SECONDS);
        assertArrayEquals(head, Arrays.copyOf(got, head.length));
        assertArrayEquals(Arrays.copyOfRange(content, from, from + count), Arrays.copyOfRange(got, head.length, got.length));
    }

    @Test void noDelayIsSetBeforeTheSecondWriteOnly() throws IOException {
        assertEquals(0, tcpOption(t.fd(), NativeSocket.TCP_NODELAY), "off when accepted");
        t.write(ByteBuffer.wrap("one".getBytes(StandardCharsets.US_ASCII)));
        assertEquals(0, tcpOption(t.fd(), NativeSocket.TCP_NODELAY), "a first write is never held back: not needed yet");
        t.write(ByteBuffer.wrap("two".getBytes(StandardCharsets.US_ASCII)));
        assertEquals(1, tcpOption(t.fd(), NativeSocket.TCP_NODELAY), "set for the second");
        byte[] got = client.getInputStream().readNBytes(6);
        assertEquals("onetwo", new String(got, StandardCharsets.US_ASCII));
    }

    @Test void aPeerThatResetsTheConnectionFailsTheNextWriteWithAPlainMessage() throws Exception {
        client.setSoLinger(true, 0);
        client.close(); // RST
        IOException e = assertThrows(IOException.class, () -> {
            for (int i = 0; i < 1_000; i++) {
                t.write(ByteBuffer.wrap(new byte[1024]));
                Thread.onSpinWait();
            }
        });
        assertTrue(e.getMessage().contains("reset") || e.getMessage().contains("Broken pipe"), e.getMessage());
    }

    @Test void closeIsIdempotentAndAClosedTransportRefusesWork() throws IOException {
        t.close();
        t.close();
        assertThrows(IOException.class, () -> t.read(ByteBuffer.allocate(8)));
        assertThrows(IOException.class, () -> t.write(ByteBuffer.allocate(8)));
        assertEquals(-1, client.getInputStream().read(), "the peer sees the end");
        assertFalse(t.remote().isEmpty());
    }

    private int readSome(ByteBuffer dst) throws IOException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        int n;
        while ((n = t.read(dst)) == 0) {
            assertTrue(System.nanoTime() < deadline, "bytes arrive");
            Thread.onSpinWait();
        }
        return n;
    }

    private CompletableFuture<byte[]> readAll(int n) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                InputStream in = client.getInputStream();
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                out.write(in.readNBytes(n));
                return out.toByteArray();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    /** getsockopt(IPPROTO_TCP, option): the test asks the kernel itself. */
    static int tcpOption(int fd, int option) {
        Linker linker = Linker.nativeLinker();
        MethodHandle getsockopt = linker.downcallHandle(linker.defaultLookup().findOrThrow("getsockopt"),
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, ADDRESS));
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment value = arena.allocate(JAVA_INT);
            MemorySegment len = arena.allocate(JAVA_INT);
            len.set(JAVA_INT, 0, 4);
            int r = (int) getsockopt.invokeExact(fd, NativeSocket.IPPROTO_TCP, option, value, len);
            assertEquals(0, r, "getsockopt");
            return value.get(JAVA_INT, 0) != 0 ? 1 : 0;
        } catch (Throwable e) {
            throw new AssertionError(e);
        }
    }
}
