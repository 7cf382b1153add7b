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

    @Test void valuesHoldNoControlCharacterButTab() {
        for (String ok : new String[] {"", "same-origin", "a b\tc", "caf\u00e9", "max-age=60, \"x\""}) assertTrue(FieldSyntax.isValue(ok), ok);
        for (String bad : new String[] {"a\r\nSet-Cookie: x", "a\nb", "a\u0000", "a\u007f", "\u001b[31m"}) {
            assertFalse(FieldSyntax.isValue(bad), bad);
        }
    }

    @Test void printableEscapesControlCharactersAndCutsLongText() {
        assertEquals("a\\x0d\\x0ab\\x00\\x7f\\x85é/ü", FieldSyntax.printable("a\r\nb\u0000\u007f\u0085é/ü"));
        assertEquals("", FieldSyntax.printable(null));
        String cut = FieldSyntax.printable("x".repeat(FieldSyntax.PRINTABLE_MAX + 1));
        assertEquals("x".repeat(FieldSyntax.PRINTABLE_MAX) + "…", cut);
        assertEquals("x".repeat(FieldSyntax.PRINTABLE_MAX), FieldSyntax.printable("x".repeat(FieldSyntax.PRINTABLE_MAX)));
    }
}
