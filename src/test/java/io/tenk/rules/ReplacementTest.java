package io.tenk.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/** Templates: Python's \1, \g<1>, \g<name>, Java's $1, ${name}, and the escapes. */
class ReplacementTest {

    /** 11 groups so that \10 and $10 are meaningful; group 11 is named and 2 is named with '_'. */
    static final PyRegex PATTERN = PyRegex.compile("(a)(?P<x_y>b)(c)(d)(e)(f)(g)(h)(i)(j)(?P<k>k)(z)?");
    static final Match MATCH = PATTERN.search("abcdefghijk").orElseThrow();

    static Stream<Arguments> templates() {
        return Stream.of(
                Arguments.of("/\\1", "/a"),
                Arguments.of("/\\g<1>", "/a"),
                Arguments.of("/\\g<x_y>", "/b"),
                Arguments.of("/$1", "/a"),
                Arguments.of("/${x_y}", "/b"),
                Arguments.of("/${2}", "/b"),
                Arguments.of("/\\10", "/j"),
                Arguments.of("/\\g<1>0", "/a0"),
                Arguments.of("/\\g<10>", "/j"),
                Arguments.of("/$10", "/j"),
                Arguments.of("/$1x", "/ax"),
                Arguments.of("/$13", "/a3"), // Java's rule: digits are taken while the group exists
                Arguments.of("/\\g<0>", "/abcdefghijk"),
                Arguments.of("/$0", "/abcdefghijk"),
                Arguments.of("/\\\\", "/\\"),
                Arguments.of("/$$1", "/$1"),
                Arguments.of("/\\$1", "/$1"),
                Arguments.of("/price$", "/price$"),
                Arguments.of("/a$b", "/a$b"),
                Arguments.of("/\\12", "/"),
                Arguments.of("/\\g<k>/\\11", "/k/k"),
                Arguments.of("/plain", "/plain"));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("templates")
    void expands(String template, String expected) {
        assertEquals(expected, Replacement.parse(template, PATTERN).expand(MATCH));
    }

    static Stream<Arguments> badTemplates() {
        return Stream.of(
                Arguments.of("/\\13", "invalid group reference 13 (the pattern has 12 groups) at index 1"),
                Arguments.of("/\\g<nope>", "unknown group name 'nope' at index 1"),
                Arguments.of("/${nope}", "unknown group name 'nope' at index 1"),
                Arguments.of("/\\g<1", "missing >, unterminated group name at index 1"),
                Arguments.of("/\\q", "bad escape \\q (write \\\\ for a backslash) at index 1"),
                Arguments.of("/\\", "bad escape (end of template) at index 1"),
                Arguments.of("/\\100", "ambiguous escape \\100 (write \\g<10>0 or \\g<1>00) at index 1"),
                Arguments.of("/\\0", "bad escape \\0 (write \\g<0> for the whole match) at index 1"),
                Arguments.of("/${13}", "invalid group reference 13 (the pattern has 12 groups) at index 1"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badTemplates")
    void refuses(String template, String message) {
        var e = assertThrows(IllegalArgumentException.class, () -> Replacement.parse(template, PATTERN));
        assertEquals(message, e.getMessage());
    }

    @Test
    void parsesOnceIntoParts() {
        Replacement r = Replacement.parse("/posts/\\g<x_y>/$1/", PATTERN);
        assertEquals(List.of(new Replacement.Literal("/posts/"), new Replacement.Group(2, "\\g<x_y>"),
                new Replacement.Literal("/"), new Replacement.Group(1, "$1"), new Replacement.Literal("/")), r.parts());
    }
}
