package io.tenk.bench;

import io.tenk.config.ServerConfig;
import io.tenk.http.Headers;
import io.tenk.http.RecentStrings;
import io.tenk.http.RequestParser;
import io.tenk.http.Response;
import io.tenk.http.ResponseHead;
import io.tenk.http.Status;
import io.tenk.http.Version;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The protocol core alone: parsing a browser-like request head (from a direct buffer with no
 * string reuse; and as an event loop does, from its heap read buffer with its recent strings),
 * and encoding a response head.
 */
@State(Scope.Thread)
public class ParseBench {
    private ByteBuffer request, requestInHeap;
    private RequestParser parser;
    private final RecentStrings strings = new RecentStrings(64);
    private Response response;
    private ByteBuffer head;

    @Setup public void setUp() {
        byte[] b = ("GET /assets/app.js?v=3 HTTP/1.1\r\nHost: localhost\r\n"
                + "User-Agent: Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36\r\n"
                + "Accept: */*\r\nAccept-Encoding: gzip, deflate, br, zstd\r\nAccept-Language: en-GB,en;q=0.9\r\n"
                + "Referer: http://localhost/\r\nIf-None-Match: \"5f3a-19c3\"\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        request = ByteBuffer.allocateDirect(b.length).put(b).flip();
        requestInHeap = ByteBuffer.wrap(b);
        parser = new RequestParser(ServerConfig.DEFAULT_LIMITS);
        response = Response.of(Status.OK, new Headers().add("Content-Type", "text/javascript")
                .add("Content-Length", "1024").add("Last-Modified", "Mon, 30 Nov 2026 06:00:00 GMT")
                .add("ETag", "\"5f3a-19c3\"").add("Accept-Ranges", "bytes"));
        head = ByteBuffer.allocateDirect(8 * 1024);
    }

    @Benchmark public Object parseRequestHead() {
        ByteBuffer in = request.duplicate();
        if (parser.parse(in) != RequestParser.Result.REQUEST) throw new IllegalStateException();
        return parser.request();
    }

    @Benchmark public Object parseRequestHeadRecentStrings() {
        if (parser.parse(requestInHeap.rewind(), strings) != RequestParser.Result.REQUEST) throw new IllegalStateException();
        return parser.request();
    }

    @Benchmark public int encodeResponseHead() {
        head.clear();
        return ResponseHead.encode(response, Version.HTTP_1_1, true, head);
    }
}
