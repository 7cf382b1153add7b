package io.tenk.files;

import io.tenk.http.Body;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A {@code multipart/byteranges} body (RFC 9110 §14.6) over a file: part headers in memory, the
 * ranges as file regions, the exact length known before anything is sent. Laid out as
 * <pre>
 * --BOUNDARY CRLF
 * Content-Type: TYPE CRLF
 * Content-Range: bytes a-b/LEN CRLF
 * CRLF
 * [region a-b] CRLF
 * --BOUNDARY CRLF
 * …
 * [region] CRLF
 * --BOUNDARY-- CRLF
 * </pre>
 * The boundary is 32 random hex digits and never depends on the content.
 *
 * @param contentType the Content-Type field value, {@code multipart/byteranges; boundary=…}
 * @param body        the parts: {@code Bytes, FileRegion, Bytes, FileRegion, …, Bytes}
 */
public record Multipart(String contentType, Body.Parts body) {

    /** Builds the body for these ranges of the file at {@code path} (beneath {@code root}) with a fresh random boundary. */
    public static Multipart byteRanges(Path root, Path path, String partType, List<ByteRanges.Range> ranges, long length) {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        String boundary = hex(r.nextLong()) + hex(r.nextLong());
        return byteRanges(root, path, partType, ranges, length, boundary);
    }

    /** Builds the body with a given boundary (1 to 70 characters from [0-9A-Za-z'()+_,./:=?-]). */
    public static Multipart byteRanges(Path root, Path path, String partType, List<ByteRanges.Range> ranges, long length,
                                       String boundary) {
        return byteRanges((offset, n) -> new Body.FileRegion(root, path, offset, n), partType, ranges, length, boundary);
    }

    /** Where the parts' content comes from: {@code length} bytes from {@code offset} of the representation. */
    @FunctionalInterface
    public interface Source {
        Body slice(long offset, long length);
    }

    /** Builds the body over any source of bytes (a file, a sibling, bytes in memory), with a fresh random boundary. */
    public static Multipart byteRanges(Source source, String partType, List<ByteRanges.Range> ranges, long length) {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        return byteRanges(source, partType, ranges, length, hex(r.nextLong()) + hex(r.nextLong()));
    }

    static Multipart byteRanges(Source source, String partType, List<ByteRanges.Range> ranges, long length, String boundary) {
        if (ranges.isEmpty()) throw new IllegalArgumentException("no ranges");
        if (boundary.isEmpty() || boundary.length() > 70) throw new IllegalArgumentException("bad boundary");
        List<Body> parts = new ArrayList<>(ranges.size() * 2 + 1);
        String lead = "--" + boundary + "\r\n";
        for (ByteRanges.Range range : ranges) {
            if (range.last() >= length) throw new IllegalArgumentException("range past the end: " + range);
            String head = lead + "Content-Type: " + partType + "\r\nContent-Range: " + range.contentRange(length) + "\r\n\r\n";
            parts.add(new Body.Bytes(head.getBytes(StandardCharsets.US_ASCII)));
            parts.add(source.slice(range.first(), range.length()));
            lead = "\r\n--" + boundary + "\r\n";
        }
        parts.add(new Body.Bytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII)));
        return new Multipart("multipart/byteranges; boundary=" + boundary, new Body.Parts(parts));
    }

    private static String hex(long v) {
        String h = Long.toHexString(v);
        return "0".repeat(16 - h.length()) + h;
    }
}
