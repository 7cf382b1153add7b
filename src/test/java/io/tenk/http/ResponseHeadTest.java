package io.tenk.http;

import org.junit.jupiter.api.Test;

import java.nio.BufferOverflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ResponseHeadTest {

    static String encode(Response r, Version v, boolean keepAlive) {
        ByteBuffer b = ByteBuffer.allocate(4096);
        int n = ResponseHead.encode(r, v, keepAlive, b);
        assertEquals(b.position(), n);
        return new String(b.array(), 0, n, StandardCharsets.ISO_8859_1).replaceAll("Date: [^\r]*", "Date: <date>");
    }

    @Test void okWithBodyCarriesExactFramingAndNoConnectionFieldOn11() {
        Response r = new Response(Status.OK, new Headers().add("Content-Type", "text/plain"), Body.of(new byte[] {1, 2, 3}));
        assertEquals("HTTP/1.1 200 OK\r\nServer: tenk\r\nDate: <date>\r\nContent-Type: text/plain\r\nContent-Length: 3\r\n\r\n",
                encode(r, Version.HTTP_1_1, true));
    }

    @Test void closeAndHttp10KeepAliveAreSaid() {
        Response r = Response.of(Status.NO_CONTENT, new Headers());
        assertEquals("HTTP/1.1 204 No Content\r\nServer: tenk\r\nDate: <date>\r\nConnection: close\r\n\r\n",
                encode(r, Version.HTTP_1_1, false));
        assertEquals("HTTP/1.1 204 No Content\r\nServer: tenk\r\nDate: <date>\r\nConnection: keep-alive\r\n\r\n",
                encode(r, Version.HTTP_1_0, true));
    }

    @Test void notModifiedHasNoContentLengthAndLongLengthsAreExact() {
        assertEquals("HTTP/1.1 304 Not Modified\r\nServer: tenk\r\nDate: <date>\r\nETag: \"x\"\r\n\r\n",
                encode(Response.of(Status.NOT_MODIFIED, new Headers().add("ETag", "\"x\"")), Version.HTTP_1_1, true));
        Response big = new Response(Status.OK, new Headers(), new Body.FileRegion(Path.of("/"), Path.of("/x"), 0, 5L << 32));
        assertEquals("HTTP/1.1 200 OK\r\nServer: tenk\r\nDate: <date>\r\nContent-Length: 21474836480\r\n\r\n",
                encode(big, Version.HTTP_1_1, true));
    }

    @Test void handlerCannotSetFramingFields() {
        Headers h = new Headers().add("Content-Length", "999").add("connection", "keep-alive")
                .add("Transfer-Encoding", "chunked").add("Server", "x").add("date", "y").add("X-Ok", "1");
        assertEquals("HTTP/1.1 200 OK\r\nServer: tenk\r\nDate: <date>\r\nX-Ok: 1\r\nContent-Length: 0\r\n\r\n",
                encode(new Response(Status.OK, h, Body.EMPTY), Version.HTTP_1_1, true));
    }

    /**
     * Fields kept for many responses are encoded once: an unchanged copy is written as those
     * bytes, exactly as field by field, and a changed copy (or the changed original) field by field.
     */
    @Test void keptEncodedFieldsAreWrittenAsFieldByFieldAndDroppedOnAChange() {
        Headers kept = new Headers().add("Content-Type", "text/plain").add("Content-Length", "999")
                .add("ETag", "\"1\"").add("X-Latin", "caf\u00e9 \u20ac");
        String expected = encode(new Response(Status.OK, kept.copy(), Body.of(new byte[2])), Version.HTTP_1_1, true);
        assertEquals("HTTP/1.1 200 OK\r\nServer: tenk\r\nDate: <date>\r\nContent-Type: text/plain\r\nETag: \"1\"\r\n"
                + "X-Latin: caf\u00e9 ?\r\nContent-Length: 2\r\n\r\n", expected);
        ResponseHead.keepEncoded(kept);
        assertEquals(expected, encode(new Response(Status.OK, kept.copy(), Body.of(new byte[2])), Version.HTTP_1_1, true));
        Headers changed = kept.copy();
        changed.add("X-Rule", "1");
        assertEquals(expected.replace("Content-Length", "X-Rule: 1\r\nContent-Length"),
                encode(new Response(Status.OK, changed, Body.of(new byte[2])), Version.HTTP_1_1, true));
        Headers removed = kept.copy();
        assertEquals(0, removed.remove("Vary"), "nothing removed: still the kept fields");
        assertEquals(expected, encode(new Response(Status.OK, removed, Body.of(new byte[2])), Version.HTTP_1_1, true));
        removed.remove("ETag");
        assertEquals(expected.replace("ETag: \"1\"\r\n", ""), encode(new Response(Status.OK, removed, Body.of(new byte[2])), Version.HTTP_1_1, true));
        kept.set("Content-Type", "text/html");
        assertFalse(encode(new Response(Status.OK, kept.copy(), Body.EMPTY), Version.HTTP_1_1, true).contains("text/plain"));
        assertThrows(IllegalArgumentException.class, () -> ResponseHead.keepEncoded(new Headers().add("X-Bad", "a\r\nInjected: 1")));
        Headers big = new Headers();
        for (int i = 0; i < 40; i++) big.add("X-Field-" + i, "v".repeat(30));
        String fieldByField = encode(new Response(Status.OK, big.copy(), Body.EMPTY), Version.HTTP_1_1, true);
        ResponseHead.keepEncoded(big); // past the first buffer
        assertEquals(fieldByField, encode(new Response(Status.OK, big.copy(), Body.EMPTY), Version.HTTP_1_1, true));
    }

    @Test void tenkOwnsTheFieldsItWritesAndContentRange() {
        for (String name : new String[] {"Date", "server", "CONNECTION", "Content-Length", "Transfer-Encoding", "Content-Range"}) {
            assertTrue(ResponseHead.owns(name), name);
        }
        for (String name : new String[] {"Content-Type", "Cache-Control", "X-Server", "Dates", "", "ETag", "Vary", "Last-Modified", "Connections", "Transfer-Encodings", "Sever"}) assertFalse(ResponseHead.owns(name), name);
        // Content-Range is the file layer's to set: the encoder keeps it
        Response ranged = new Response(Status.PARTIAL_CONTENT, new Headers().add("Content-Range", "bytes 0-0/9"), Body.EMPTY);
        assertTrue(encode(ranged, Version.HTTP_1_1, true).contains("\r\nContent-Range: bytes 0-0/9\r\n"));
    }

    @Test void controlCharactersInFieldsAreRefused() {
        for (String[] f : new String[][] {{"X", "a\r\nSet-Cookie: evil"}, {"X", "a\nb"}, {"X", "nul\0"}, {"Bad Name", "v"}, {"X:", "v"}}) {
            Response r = new Response(Status.OK, new Headers().add(f[0], f[1]), Body.EMPTY);
            assertThrows(IllegalArgumentException.class, () -> ResponseHead.encode(r, Version.HTTP_1_1, true, ByteBuffer.allocate(4096)));
        }
    }

    @Test void tooSmallABufferOverflowsInsteadOfTruncating() {
        Response r = new Response(Status.OK, new Headers().add("X", "y".repeat(200)), Body.EMPTY);
        assertThrows(BufferOverflowException.class, () -> ResponseHead.encode(r, Version.HTTP_1_1, true, ByteBuffer.allocate(100)));
    }
}
