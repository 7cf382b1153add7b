package io.tenk.files;

import io.tenk.http.Body;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MultipartTest {
    @TempDir Path tmp;

    /** What a transport would send: the bytes parts as they are, the regions read from their files. */
    static byte[] render(Body body) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Body part : assertInstanceOf(Body.Parts.class, body).parts()) {
            switch (part) {
                case Body.Bytes b -> out.write(b.data());
                case Body.FileRegion r -> {
                    byte[] all = Files.readAllBytes(r.path());
                    out.write(all, (int) r.offset(), (int) r.length());
                }
                default -> throw new AssertionError(part);
            }
        }
        return out.toByteArray();
    }

    @Test
    void exactBytesAndLength() throws IOException {
        Path f = Files.writeString(tmp.resolve("f.txt"), "0123456789abcdefghij");
        List<ByteRanges.Range> ranges = List.of(new ByteRanges.Range(0, 2), new ByteRanges.Range(10, 12));
        Multipart m = Multipart.byteRanges(tmp, f, "text/plain; charset=utf-8", ranges, 20, "B0UND");
        assertEquals("multipart/byteranges; boundary=B0UND", m.contentType());
        String expected = """
                --B0UND\r
                Content-Type: text/plain; charset=utf-8\r
                Content-Range: bytes 0-2/20\r
                \r
                012\r
                --B0UND\r
                Content-Type: text/plain; charset=utf-8\r
                Content-Range: bytes 10-12/20\r
                \r
                abc\r
                --B0UND--\r
                """;
        byte[] bytes = render(m.body());
        assertEquals(expected, new String(bytes, StandardCharsets.US_ASCII));
        assertEquals(bytes.length, m.body().length());
        assertEquals(5, m.body().parts().size());
        var region = assertInstanceOf(Body.FileRegion.class, m.body().parts().get(3));
        assertEquals(f, region.path());
        assertEquals(10, region.offset());
        assertEquals(3, region.length());
    }

    @Test
    void lengthIsKnownForHugeRegionsWithoutTouchingTheFile() {
        long len = 5L << 30;
        Path nowhere = tmp.resolve("not-created");
        var ranges = List.of(new ByteRanges.Range(0, 0), new ByteRanges.Range(1L << 32, len - 1));
        Multipart m = Multipart.byteRanges(tmp, nowhere, "video/mp4", ranges, len, "b");
        long headers = 0;
        for (Body p : m.body().parts()) if (p instanceof Body.Bytes b) headers += b.length();
        assertEquals(headers + 1 + (len - (1L << 32)), m.body().length());
    }

    @Test
    void randomBoundaryIsHexAndFresh() {
        Path f = tmp.resolve("x");
        var ranges = List.of(new ByteRanges.Range(0, 0), new ByteRanges.Range(2, 2));
        String a = Multipart.byteRanges(tmp, f, "text/plain", ranges, 3).contentType();
        String b = Multipart.byteRanges(tmp, f, "text/plain", ranges, 3).contentType();
        assertTrue(a.matches("multipart/byteranges; boundary=[0-9a-f]{32}"), a);
        assertNotEquals(a, b);
    }

    @Test
    void rejectsRangesPastTheEndAndEmptyLists() {
        Path f = tmp.resolve("x");
        assertThrows(IllegalArgumentException.class, () -> Multipart.byteRanges(tmp, f, "t", List.of(new ByteRanges.Range(0, 3)), 3, "b"));
        assertThrows(IllegalArgumentException.class, () -> Multipart.byteRanges(tmp, f, "t", List.of(), 3, "b"));
    }
}
