package io.tenk.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The field list, and its copy-on-write copies: sharing an array is never seen by a holder. */
class HeadersTest {

    private static Headers three() {
        return new Headers(3).add("Content-Type", "text/plain").add("ETag", "\"1\"").add("Vary", "Accept-Encoding");
    }

    private static List<String> lines(Headers h) {
        return java.util.stream.IntStream.range(0, h.size()).mapToObj(i -> h.name(i) + ": " + h.value(i)).toList();
    }

    @Test
    void aCopyHoldsTheSameFieldsInOrder() {
        Headers h = three();
        assertEquals(lines(h), lines(h.copy()));
        assertEquals(lines(h), lines(h.copy().copy()));
    }

    @Test
    void changingACopyLeavesTheOriginalAndItsOtherCopies() {
        Headers original = three();
        Headers a = original.copy(), b = original.copy();
        a.add("Content-Range", "bytes 0-0/1"); // the array is full: a grows its own
        b.set("Content-Type", "text/html");    // remove, then add
        Headers c = original.copy();
        c.remove("ETag");
        assertEquals(List.of("Content-Type: text/plain", "ETag: \"1\"", "Vary: Accept-Encoding"), lines(original));
        assertEquals(List.of("Content-Type: text/plain", "ETag: \"1\"", "Vary: Accept-Encoding", "Content-Range: bytes 0-0/1"), lines(a));
        assertEquals(List.of("ETag: \"1\"", "Vary: Accept-Encoding", "Content-Type: text/html"), lines(b));
        assertEquals(List.of("Content-Type: text/plain", "Vary: Accept-Encoding"), lines(c));
        assertEquals(lines(original), lines(original.copy()));
    }

    @Test
    void changingTheOriginalLeavesItsCopies() {
        Headers original = new Headers(8).add("A", "1").add("B", "2"); // room to spare: an add would write in place
        Headers copy = original.copy();
        original.add("C", "3");
        original.set("A", "changed");
        assertEquals(List.of("A: 1", "B: 2"), lines(copy));
        assertEquals(List.of("B: 2", "C: 3", "A: changed"), lines(original));
        original.clear();
        assertEquals(0, original.size());
        assertEquals(List.of("A: 1", "B: 2"), lines(copy));
        original.add("D", "4");
        assertEquals(List.of("D: 4"), lines(original));
    }

    @Test
    void removingAFieldACopyDoesNotHaveChangesNothing() {
        Headers original = three();
        Headers copy = original.copy();
        assertEquals(0, copy.remove("Cache-Control"));
        assertEquals(3, copy.size());
        assertEquals(2, new Headers().add("X", "1").add("x", "2").copy().remove("X"));
        assertEquals(lines(original), lines(copy));
    }

    @Test
    void sameFieldsComparesNamesAndValuesExactly() {
        Headers h = three();
        assertTrue(h.sameFields(three()));
        assertTrue(h.sameFields(h.copy()));
        assertFalse(h.sameFields(null));
        assertFalse(h.sameFields(new Headers(3).add("content-type", "text/plain").add("ETag", "\"1\"").add("Vary", "Accept-Encoding")));
        assertFalse(h.sameFields(new Headers(3).add("Content-Type", "text/plain").add("ETag", "\"2\"").add("Vary", "Accept-Encoding")));
        assertFalse(h.sameFields(new Headers(3).add("Content-Type", "text/plain").add("ETag", "\"1\"")));
        assertNull(new Headers(0).copy().get("X"));
    }
}
