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
    private ByteBuffer request, requestInHeap, navigation;
    private RequestParser parser;
    private final RecentStrings strings = new RecentStrings(Integer.getInteger("slots", 256)); // as an event loop
    private Response response;
    private ByteBuffer head;

    @Setup public void setUp() {
        byte[] b = ("GET /assets/app.js?v=3 HTTP/1.1\r\nHost: localhost\r\n"
                + "User-Agent: Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36\r\n"
                + "Accept: */*\r\nAccept-Encoding: gzip, deflate, br, zstd\r\nAccept-Language: en-GB,en;q=0.9\r\n"
                + "Referer: http://localhost/\r\nIf-None-Match: \"5f3a-19c3\"\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        request = ByteBuffer.allocateDirect(b.length).put(b).flip();
        requestInHeap = ByteBuffer.wrap(b);
        // what Chrome 131 sends to load a page: 16 fields, more than a field list starts with
        navigation = ByteBuffer.wrap(("GET /docs/ HTTP/1.1\r\nHost: localhost\r\nConnection: keep-alive\r\n"
                + "sec-ch-ua: \"Chromium\";v=\"131\", \"Not_A Brand\";v=\"24\"\r\nsec-ch-ua-mobile: ?0\r\n"
                + "sec-ch-ua-platform: \"Linux\"\r\nUpgrade-Insecure-Requests: 1\r\n"
                + "User-Agent: Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36\r\n"
                + "Accept: text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8\r\n"
                + "Sec-Fetch-Site: same-origin\r\nSec-Fetch-Mode: navigate\r\nSec-Fetch-User: ?1\r\nSec-Fetch-Dest: document\r\n"
                + "Referer: http://localhost/\r\nAccept-Encoding: gzip, deflate, br, zstd\r\n"
                + "Accept-Language: en-GB,en;q=0.9\r\nIf-None-Match: \"5f3a-19c3\"\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
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

    /** A page load's request as Chrome sends it (16 fields), as an event loop parses it. */
    @Benchmark public Object parseChromeNavigationRecentStrings() {
        if (parser.parse(navigation.rewind(), strings) != RequestParser.Result.REQUEST) throw new IllegalStateException();
        return parser.request();
    }

    @Benchmark public int encodeResponseHead() {
        head.clear();
        return ResponseHead.encode(response, Version.HTTP_1_1, true, head);
    }
}
