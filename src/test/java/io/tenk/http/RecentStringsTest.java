package io.tenk.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The strings a parser is handed again for bytes it saw lately: always equal to the bytes, shared when kept. */
class RecentStringsTest {

    private static byte[] ascii(String s) { return s.getBytes(StandardCharsets.ISO_8859_1); }

    private static String of(RecentStrings strings, String s) {
        byte[] b = ascii("<" + s + ">"); // bytes around the value that must not be read
        return strings.latin1(b, 1, b.length - 2);
    }

    @Test void theSameBytesGiveTheSameString() {
        RecentStrings strings = new RecentStrings(64);
        String first = of(strings, "gzip, deflate, br, zstd");
        assertEquals("gzip, deflate, br, zstd", first);
        assertSame(first, of(strings, "gzip, deflate, br, zstd"));
        assertSame(first, strings.latin1(ascii("gzip, deflate, br, zstd"), 0, 23), "from another array and offset");
    }

    @Test void bytesAboveAsciiAreLatin1() {
        RecentStrings strings = new RecentStrings(8);
        byte[] b = {'c', 'a', 'f', (byte) 0xE9};
        assertEquals("caf\u00e9", strings.latin1(b, 0, 4));
        assertSame(strings.latin1(b, 0, 4), strings.latin1(b.clone(), 0, 4));
        assertEquals("", strings.latin1(b, 2, 0));
    }

    @Test void aPairKeepsItsTwoLatestValues() {
        RecentStrings strings = new RecentStrings(2); // one pair: every value lands in it
        String a = of(strings, "/a"), b = of(strings, "/b");
        assertSame(a, of(strings, "/a"));
        assertSame(b, of(strings, "/b"));
        of(strings, "/c");                                 // drops the older of the two: /a
        assertNotSame(a, of(strings, "/a"), "/a was dropped for /c");
        assertEquals("/a", of(strings, "/a"));
    }

    @Test void longValuesAreNeverKept() {
        RecentStrings strings = new RecentStrings(64);
        String longest = "x".repeat(RecentStrings.MAX_LENGTH), tooLong = "y".repeat(RecentStrings.MAX_LENGTH + 1);
        assertSame(of(strings, longest), of(strings, longest));
        String once = of(strings, tooLong);
        assertEquals(tooLong, once);
        assertNotSame(once, of(strings, tooLong));
    }

    @Test void noneKeepsNothing() {
        String once = of(RecentStrings.NONE, "Host");
        assertEquals("Host", once);
        assertNotSame(once, of(RecentStrings.NONE, "Host"));
    }

    @Test void manyValuesTakingTurnsAreNeverMixedUp() {
        // more values than slots, many of one length and differing in one byte: every kind of collision
        List<String> pool = new ArrayList<>();
        for (int i = 0; i < 300; i++) pool.add(i % 3 == 0 ? "/static/chunk-" + (char) ('a' + i % 26) + i + ".js" : "v" + i);
        RecentStrings strings = new RecentStrings(32);
        Random random = new Random(11);
        int shared = 0;
        String last = null, lastValue = null;
        for (int i = 0; i < 20_000; i++) {
            String v = random.nextInt(4) == 0 ? pool.get(random.nextInt(pool.size())) : pool.get(random.nextInt(8));
            String got = of(strings, v);
            assertEquals(v, got);
            if (v.equals(lastValue) && got == last) shared++;
            last = got;
            lastValue = v;
        }
        assertTrue(shared > 0, "a value asked for twice in a row is the kept string");
    }

    @Test void valuesDifferingOnlyInTheLastBytesOfAWordSpreadOverThePairs() {
        // eight bytes each, the same but for the eighth: a hash whose pair index ignored the top
        // bytes of each word put all of them in one pair, which keeps two
        RecentStrings strings = new RecentStrings(64);
        List<String> values = new ArrayList<>();
        for (int i = 0; i < 16; i++) values.add("gzip, b" + (char) ('a' + i));
        List<String> first = new ArrayList<>();
        for (String v : values) first.add(of(strings, v));
        int kept = 0;
        for (int i = 0; i < values.size(); i++) if (of(strings, values.get(i)) == first.get(i)) kept++;
        assertTrue(kept >= 10, "kept " + kept + " of 16 in 32 pairs");
    }

    @Test void aBrowsersPageLoadFitsAnEventLoopsTable() {
        // the values and unknown names of a Chrome page load: asked again, every one is the kept string
        List<String> load = List.of("/docs/", "keep-alive", "\"Chromium\";v=\"131\", \"Not_A Brand\";v=\"24\"", "?0",
                "\"Linux\"", "1", "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36",
                "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8", "same-origin",
                "navigate", "?1", "document", "http://localhost/", "gzip, deflate, br, zstd", "en-GB,en;q=0.9",
                "\"5f3a-19c3\"", "localhost", "sec-ch-ua", "sec-ch-ua-mobile", "sec-ch-ua-platform",
                "Upgrade-Insecure-Requests", "Sec-Fetch-Site", "Sec-Fetch-Mode", "Sec-Fetch-User", "Sec-Fetch-Dest");
        RecentStrings strings = new RecentStrings(256);
        List<String> first = new ArrayList<>();
        for (String v : load) first.add(of(strings, v));
        for (int i = 0; i < load.size(); i++) assertSame(first.get(i), of(strings, load.get(i)), load.get(i));
    }

    @Test void theTableIsAPowerOfTwo() {
        assertThrows(IllegalArgumentException.class, () -> new RecentStrings(1));
        assertThrows(IllegalArgumentException.class, () -> new RecentStrings(48));
        assertThrows(IllegalArgumentException.class, () -> new RecentStrings(-2));
    }
}
