package io.tenk.http;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FieldSyntaxTest {
    @Test void tokensAreTcharsOnly() {
        for (String ok : new String[] {"X-A", "Cross-Origin-Opener-Policy", "a!#$%&'*+-.^_`|~9"}) assertTrue(FieldSyntax.isToken(ok), ok);
        for (String bad : new String[] {"", "Bad Name", "X:A", "X\u00e9", "X\tA", "X\"A", "(X)", "X/A", "X\u0660"}) {
            assertFalse(FieldSyntax.isToken(bad), bad);
        }
        assertFalse(FieldSyntax.isToken(null));
        assertFalse(FieldSyntax.isTchar((byte) 0xe9)); // a raw byte above 0x7f, seen by the parser as negative
        assertTrue(FieldSyntax.isTchar((byte) '~'));
    }

    @Test void printableEscapesControlCharactersAndCutsLongText() {
        assertEquals("a\\x0d\\x0ab\\x00\\x7f\\x85é/ü", FieldSyntax.printable("a\r\nb\u0000\u007f\u0085é/ü"));
        assertEquals("", FieldSyntax.printable(null));
        String cut = FieldSyntax.printable("x".repeat(FieldSyntax.PRINTABLE_MAX + 1));
        assertEquals("x".repeat(FieldSyntax.PRINTABLE_MAX) + "…", cut);
        assertEquals("x".repeat(FieldSyntax.PRINTABLE_MAX), FieldSyntax.printable("x".repeat(FieldSyntax.PRINTABLE_MAX)));
    }
}
