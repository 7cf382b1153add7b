package io.tenk.http;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HttpDateTest {
    static final long SUN_06_NOV_1994 = 784111777L;

    @Test void parsesAllThreeFormsOfRfc9110() {
        assertEquals(SUN_06_NOV_1994, HttpDate.parse("Sun, 06 Nov 1994 08:49:37 GMT"));
        assertEquals(SUN_06_NOV_1994, HttpDate.parse("Sunday, 06-Nov-94 08:49:37 GMT"));
        assertEquals(SUN_06_NOV_1994, HttpDate.parse("Sun Nov  6 08:49:37 1994"));
    }

    @Test void formatsImfFixdate() {
        assertEquals("Sun, 06 Nov 1994 08:49:37 GMT", HttpDate.format(SUN_06_NOV_1994));
    }

    @Test void invalidDatesAreReportedNotThrown() {
        for (String s : new String[] {null, "", "yesterday", "Sun, 32 Nov 1994 08:49:37 GMT", "Sun, 06 Nov 1994 25:49:37 GMT",
                "Mon, 06 Nov 1994 08:49:37 GMT", "x".repeat(100)}) {
            assertEquals(Long.MIN_VALUE, HttpDate.parse(s), s);
        }
    }

    @Test void nowIsTheCurrentSecond() {
        long parsed = HttpDate.parse(HttpDate.now());
        assertTrue(Math.abs(parsed - System.currentTimeMillis() / 1000) <= 1);
    }
}
