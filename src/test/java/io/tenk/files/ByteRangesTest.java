package io.tenk.files;

import io.tenk.files.ByteRanges.Full;
import io.tenk.files.ByteRanges.Partial;
import io.tenk.files.ByteRanges.Range;
import io.tenk.files.ByteRanges.Result;
import io.tenk.files.ByteRanges.Unsatisfiable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ByteRangesTest {
    static final String ETAG = "\"5f-64\"";
    static final long LM = 784111777L;
    static final String LM_TEXT = "Sun, 06 Nov 1994 08:49:37 GMT";

    /** Renders a result as FULL, NONE (unsatisfiable) or "a-b,c-d". */
    static String show(Result r) {
        return switch (r) {
            case Full _ -> "FULL";
            case Unsatisfiable _ -> "NONE";
            case Partial p -> {
                List<String> out = new ArrayList<>();
                for (Range x : p.ranges()) out.add(x.first() + "-" + x.last());
                yield String.join(",", out);
            }
        };
    }

    @ParameterizedTest(name = "[{0}] of {1} → {2}")
    @CsvSource(delimiter = '|', nullValues = "NULL", textBlock = """
            NULL                      | 100 | FULL
            bytes=0-0                 | 100 | 0-0
            bytes=0-9                 | 100 | 0-9
            bytes=10-                 | 100 | 10-99
            bytes=0-                  | 100 | 0-99
            bytes=-10                 | 100 | 90-99
            bytes=-100                | 100 | 0-99
            bytes=-1000               | 100 | 0-99
            bytes=90-200              | 100 | 90-99
            bytes=99-99               | 100 | 99-99
            bytes=100-                | 100 | NONE
            bytes=100-200             | 100 | NONE
            bytes=-0                  | 100 | NONE
            bytes=-0,100-             | 100 | NONE
            bytes=-0,0-0              | 100 | 0-0
            bytes=200-,5-6            | 100 | 5-6
            BYTES=0-1                 | 100 | 0-1
            Bytes=0-1                 | 100 | 0-1
            bytes=0-1, 3-4            | 100 | 0-1,3-4
            bytes=0-1 ,\t3-4          | 100 | 0-1,3-4
            bytes=0-1,,3-4            | 100 | 0-1,3-4
            bytes= 0-1                | 100 | 0-1
            bytes=30-39,0-9           | 100 | 0-9,30-39
            bytes=0-9,5-14            | 100 | 0-14
            bytes=0-9,10-19           | 100 | 0-19
            bytes=0-9,11-19           | 100 | 0-9,11-19
            bytes=0-9,0-9             | 100 | 0-9
            bytes=0-49,-50            | 100 | 0-99
            bytes=0-60,40-99          | 100 | FULL
            bytes=-60,0-59            | 100 | FULL
            bytes=5-4                 | 100 | FULL
            bytes=a-b                 | 100 | FULL
            bytes=1-2-3               | 100 | FULL
            bytes=-                   | 100 | FULL
            bytes=                    | 100 | FULL
            bytes=,                   | 100 | FULL
            bytes=0-1,x               | 100 | FULL
            bytes=+1-2                | 100 | FULL
            bytes=1- 2                | 100 | FULL
            bytes=0x10-20             | 100 | FULL
            bytes 0-1                 | 100 | FULL
            bytes =0-1                | 100 | FULL
            items=0-1                 | 100 | FULL
            bytesx=0-1                | 100 | FULL
            =0-1                      | 100 | FULL
            bytes=0-99999999999999999999999 | 100 | 0-99
            bytes=99999999999999999999999-  | 100 | NONE
            bytes=-99999999999999999999999  | 100 | 0-99
            bytes=0-                  | 0   | NONE
            bytes=-5                  | 0   | NONE
            bytes=0-0                 | 1   | 0-0
            bytes=-1                  | 1   | 0-0
            """)
    void table(String range, long length, String expected) {
        String r = range == null ? null : range.replace("\\t", "\t");
        assertEquals(expected, show(ByteRanges.evaluate(r, null, ETAG, LM, length)));
    }

    @Test
    void moreThanSixteenRangesIsIgnored() {
        StringBuilder sb = new StringBuilder("bytes=");
        for (int i = 0; i < 16; i++) sb.append(i == 0 ? "" : ",").append(i * 10).append('-').append(i * 10 + 1);
        Result sixteen = ByteRanges.evaluate(sb.toString(), null, ETAG, LM, 1000);
        assertEquals(16, assertInstanceOf(Partial.class, sixteen).ranges().size());
        sb.append(",500-501");
        assertInstanceOf(Full.class, ByteRanges.evaluate(sb.toString(), null, ETAG, LM, 1000));
    }

    @Test
    void apacheKillerIsIgnored() {
        // CVE-2011-3192: many overlapping ranges, each asking for most of the file.
        StringBuilder sb = new StringBuilder("bytes=0-");
        for (int i = 1; i < 1300; i++) sb.append(",5-").append(i);
        assertInstanceOf(Full.class, ByteRanges.evaluate(sb.toString(), null, ETAG, LM, 10_000));
    }

    @Test
    void rangesBeyondFourGiB() {
        long len = 5L << 30;
        assertEquals("4294967296-4294967300",
                show(ByteRanges.evaluate("bytes=4294967296-4294967300", null, ETAG, LM, len)));
        assertEquals((len - 10) + "-" + (len - 1), show(ByteRanges.evaluate("bytes=-10", null, ETAG, LM, len)));
        assertEquals("5368709000-" + (len - 1), show(ByteRanges.evaluate("bytes=5368709000-", null, ETAG, LM, len)));
        assertEquals("0-0,4294967295-4294967296",
                show(ByteRanges.evaluate("bytes=4294967295-4294967296,0-0", null, ETAG, LM, len)));
        assertEquals("NONE", show(ByteRanges.evaluate("bytes=" + len + "-", null, ETAG, LM, len)));
        Range r = assertInstanceOf(Partial.class, ByteRanges.evaluate("bytes=1-", null, ETAG, LM, len)).ranges().getFirst();
        assertEquals(len - 1, r.length());
        assertEquals("bytes 1-" + (len - 1) + "/" + len, r.contentRange(len));
    }

    @ParameterizedTest(name = "If-Range [{0}] → {1}")
    @CsvSource(delimiter = '|', textBlock = """
            "5f-64"                          | 0-9
            W/"5f-64"                        | FULL
            "other"                          | FULL
            "5f-64                           | FULL
            Sun, 06 Nov 1994 08:49:37 GMT    | 0-9
            Sun Nov  6 08:49:37 1994         | 0-9
            Sun, 06 Nov 1994 08:49:38 GMT    | FULL
            Sun, 06 Nov 1994 08:49:36 GMT    | FULL
            not a date                       | FULL
            """)
    void ifRange(String ifRange, String expected) {
        assertEquals(expected, show(ByteRanges.evaluate("bytes=0-9", ifRange, ETAG, LM, 100)));
    }

    @Test
    void ifRangeWithoutRangeIsFull() {
        assertInstanceOf(Full.class, ByteRanges.evaluate(null, "\"5f-64\"", ETAG, LM, 100));
        assertEquals(LM_TEXT, io.tenk.http.HttpDate.format(LM));
    }

    @Test
    void ifRangeMismatchBeatsUnsatisfiable() {
        assertInstanceOf(Full.class, ByteRanges.evaluate("bytes=500-", "\"other\"", ETAG, LM, 100));
        assertInstanceOf(Unsatisfiable.class, ByteRanges.evaluate("bytes=500-", ETAG, ETAG, LM, 100));
    }

    @Test
    void rangeChecksItsBounds() {
        assertThrows(IllegalArgumentException.class, () -> new Range(-1, 0));
        assertThrows(IllegalArgumentException.class, () -> new Range(5, 4));
        assertThrows(IllegalArgumentException.class, () -> new Partial(List.of()));
        assertEquals(1, new Range(0, 0).length());
    }
}
