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

    /** The hand-written formatter writes what java.time's IMF-fixdate pattern writes, leap days and 1969 included. */
    @Test void formatsAsJavaTimeDoes() {
        var imf = java.time.format.DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", java.util.Locale.ROOT)
                .withZone(java.time.ZoneOffset.UTC);
        var random = new java.util.Random(42);
        java.util.List<Long> seconds = new java.util.ArrayList<>(java.util.List.of(0L, -1L, 951_782_400L, 4_107_542_399L,
                -30_610_224_000L, 253_402_300_799L, 253_402_300_800L, -62_135_596_801L));
        for (int i = 0; i < 20_000; i++) seconds.add(random.nextLong(-40_000_000_000L, 260_000_000_000L));
        for (long s : seconds) assertEquals(imf.format(java.time.Instant.ofEpochSecond(s)), HttpDate.format(s), "at " + s);
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
