package io.tenk.files;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

class AcceptEncodingTest {

    /** field | codings available | chosen ("identity" for none). */
    @ParameterizedTest(name = "[{0}] of {1} → {2}")
    @CsvSource(delimiter = '|', nullValues = "NULL", textBlock = """
            NULL                          | br gzip zstd | identity
            ''                            | br gzip zstd | identity
            gzip                          | br gzip zstd | gzip
            'gzip, deflate, br'           | br gzip zstd | br
            'gzip, deflate, br, zstd'     | gzip zstd    | zstd
            'br;q=0.5, gzip'              | br gzip      | gzip
            'br;q=1.0, gzip;q=0.999'      | br gzip      | br
            'GZIP;Q=0.5'                  | gzip         | gzip
            'x-gzip'                      | gzip         | gzip
            'gzip;q=0'                    | gzip         | identity
            'gzip;q=0.000'                | gzip         | identity
            '*'                           | br gzip      | br
            '*;q=0.5, gzip;q=0'           | gzip br      | br
            '*;q=0'                       | gzip         | identity
            'identity;q=0, gzip;q=0.1'    | gzip         | gzip
            'identity, gzip;q=0.5'        | gzip         | identity
            'gzip;q=0.5, identity;q=0.5'  | gzip         | gzip
            'gzip;q=2'                    | gzip         | identity
            'gzip;q=abc, br'              | gzip br      | br
            'gzip;q=0.5;level=1'          | gzip         | gzip
            ' , ,gzip ,'                  | gzip         | gzip
            'deflate, compress'           | gzip br      | identity
            'br;q=0.1234, gzip;q=0.1'     | br gzip      | gzip
            'br ; q = 0.5 , gzip;q=0.4'   | br gzip      | br
            'br;level=3;q=0.2, gzip;q=.5' | br gzip      | br
            'br;q=0., gzip;q=1.'          | br gzip      | gzip
            'br;q=1.001, gzip;q=0.01'     | br gzip      | gzip
            'brx, gzi, zstd;q=0.3'        | br gzip zstd | zstd
            'br;q=0.5 , gzip;q=0.50'      | gzip br      | br
            """)
    void chooses(String field, String available, String expected) {
        AcceptEncoding ae = AcceptEncoding.parse(field);
        List<ContentCoding> codings = java.util.Arrays.stream(available.split(" "))
                .map(t -> switch (t) { case "br" -> ContentCoding.BR; case "zstd" -> ContentCoding.ZSTD; default -> ContentCoding.GZIP; })
                .toList();
        ContentCoding c = ae.choose(codings);
        assertEquals(expected, c == null ? "identity" : c.token());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            'identity;q=0'   | 0
            '*;q=0'          | 0
            '*;q=0, identity'| 1000
            gzip             | 1
            '*;q=0.3'        | 300
            """)
    void identityWeight(String field, int weight) {
        assertEquals(weight, AcceptEncoding.parse(field).identityWeight());
    }

    @org.junit.jupiter.api.Test
    void aValueSentAgainIsNotParsedAgain() {
        String sent = "gzip, deflate, br, zstd";
        AcceptEncoding first = AcceptEncoding.parse(sent);
        assertSame(first, AcceptEncoding.parse(new String(sent)), "an equal value from another request");
        AcceptEncoding other = AcceptEncoding.parse("gzip;q=0.5, br;q=0");
        assertNotSame(first, other);
        assertEquals(500, other.weight(ContentCoding.GZIP));
        assertEquals(0, other.weight(ContentCoding.BR));
        assertEquals(1000, AcceptEncoding.parse(sent).weight(ContentCoding.BR), "a different value in between changes nothing");
    }
}
