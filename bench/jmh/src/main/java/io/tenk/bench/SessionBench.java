package io.tenk.bench;

import io.tenk.TenkServer;
import io.tenk.config.ServerConfig;
import io.tenk.conn.ConnectionLimiter;
import io.tenk.conn.IoBuffers;
import io.tenk.conn.ServerContext;
import io.tenk.conn.Session;
import io.tenk.conn.Step;
import io.tenk.observe.AccessLog;
import io.tenk.observe.ErrorLog;
import io.tenk.observe.Metrics;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * One keep-alive connection's work per request, as the reactor does it, minus the socket: read a
 * browser-like request, parse, resolve, check validators, encode the head, write. A 1 KiB file
 * comes from the open-file cache (head and body in one write); a 1 MiB file goes by sendfile;
 * {@code manySmallFiles} asks for 4,096 small files in turn, more than the tables kept per site
 * hold (a large site's worst case). {@code -prof gc} shows the bytes allocated per request.
 */
@State(Scope.Thread)
public class SessionBench {
    private static final String HEADERS = " HTTP/1.1\r\nHost: localhost\r\n"
            + "User-Agent: Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36\r\n"
            + "Accept: text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8\r\n"
            + "Accept-Encoding: gzip, deflate, br, zstd\r\nAccept-Language: en-GB,en;q=0.9\r\n\r\n";

    private Path root;
    private Session session;
    private MemoryTransport transport;
    private IoBuffers io;
    private ByteBuffer small, large;
    private final ByteBuffer[] many = new ByteBuffer[4096];
    private int next;

    @Setup public void setUp() throws IOException {
        root = Files.createTempDirectory("tenk-jmh");
        Files.write(root.resolve("small.txt"), new byte[1024]);
        Files.write(root.resolve("large.bin"), new byte[1024 * 1024]);
        Files.createDirectory(root.resolve("many"));
        for (int i = 0; i < many.length; i++) {
            Files.write(root.resolve("many/" + i + ".txt"), new byte[100]);
            many[i] = request("/many/" + i + ".txt");
        }
        ServerConfig config = ServerConfig.defaults(root);
        ServerContext ctx = new ServerContext(TenkServer.handler(config), config.limits(), config.timeouts(),
                ServerConfig.MAX_DISCARDED_BODY, AccessLog.disabled(),
                new ErrorLog(new PrintStream(OutputStream.nullOutputStream()), false),
                new ConnectionLimiter(10), (what, cause) -> { throw new IllegalStateException(what, cause); },
                Metrics.disabled());
        transport = new MemoryTransport();
        session = Session.open(ctx, transport, System.nanoTime());
        io = IoBuffers.eventLoop(32 * 1024);
        small = request("/small.txt");
        large = request("/large.bin");
    }

    private static ByteBuffer request(String path) {
        byte[] b = ("GET " + path + HEADERS).getBytes(StandardCharsets.US_ASCII);
        return ByteBuffer.allocateDirect(b.length).put(b).flip();
    }

    private long serve(ByteBuffer request) throws IOException {
        transport.arrive(request);
        Step s = session.onReadable(io, System.nanoTime());
        if (s != Step.READ) throw new IllegalStateException("the connection did not stay open: " + s);
        return transport.written;
    }

    @Benchmark public long cachedSmallFile() throws IOException { return serve(small); }

    @Benchmark public long sendfileLargeFile() throws IOException { return serve(large); }

    @Benchmark public long manySmallFiles() throws IOException {
        ByteBuffer r = many[next++ & (many.length - 1)];
        return serve(r);
    }

    @TearDown public void tearDown() throws IOException {
        session.close();
        try (Stream<Path> s = Files.walk(root)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
