package io.tenk.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The syntax translation, as a table: pattern, input, what re.search finds, captured groups.
 * Rows marked {@code deviation} are where tenk differs from Python on purpose ({@code $} is end of
 * input; {@code \d} is ASCII) and the two rows in Java-only syntax ({@code (?<name>…)},
 * {@code \k<name>}); every other row was checked to agree with CPython 3.11's {@code re.search}.
 */
class PyRegexTest {

    /** One row; {@code match} is null for no match; {@code groups} as "1=a,name=b" (absent = did not participate). */
    record Row(String pattern, String input, String match, String groups, boolean deviation) {
        @Override public String toString() { return "/" + pattern + "/ on " + input.replace("\n", "\\n"); }
    }

    static Row row(String pattern, String input, String match, String groups) { return new Row(pattern, input, match, groups, false); }

    static Row deviation(String pattern, String input, String match, String groups) { return new Row(pattern, input, match, groups, true); }

    static Stream<Row> rows() {
        return Stream.of(
                // named groups, Python and Java spellings; underscores in names
                row("^/blog/(?P<year>\\d{4})/(?P<slug>[^/]+)\\.html$", "/blog/2024/hello.html", "/blog/2024/hello.html", "1=2024,2=hello,year=2024,slug=hello"),
                row("^/blog/(?P<year>\\d{4})/(?P<slug>[^/]+)\\.html$", "/blog/24/hello.html", null, ""),
                row("(?P<first_name>\\w+)-(?P<last_name>\\w+)", "/u/ada-lovelace", "ada-lovelace", "1=ada,2=lovelace,first_name=ada,last_name=lovelace"),
                row("(?<year>\\d{4})", "/2024", "2024", "1=2024,year=2024"),
                row("(?P<a>x)?y", "/y", "y", ""),
                // back-references: named, numbered, Java's \k
                row("(?P<w>[a-z]+)/(?P=w)", "/x/abc/abc", "abc/abc", "1=abc,w=abc"),
                row("^/(?P<w>[a-z]+)/(?P=w)$", "/abc/abd", null, ""),
                row("(a)(b)\\2\\1", "/xabba", "abba", "1=a,2=b"),
                row("(?<n>a)\\k<n>", "/aa", "aa", "1=a,n=a"),
                // inline flags, global and scoped
                row("(?i)/\\.git(/|$)", "/.GIT/config", "/.GIT/", "1=/"),
                row("(?i)/\\.git(/|$)", "/.github/x", null, ""),
                row("(?i)/\\.git(/|$)", "/x/.Git", "/.Git", "1="),
                row("(?s)a.b", "a\nb", "a\nb", ""),
                row("a.b", "a\nb", null, ""),
                row("(?m)^b$", "a\nb\nc", "b", ""),
                row("^b$", "a\nb", null, ""),
                row("(?x) ^/ (\\d+)  # the id\n /edit$", "/42/edit", "/42/edit", "1=42"),
                row("(?x)[ ]x", "/ x", " x", ""),
                row("(?i:A)b", "/Ab", "Ab", ""),
                row("(?i:A)b", "/AB", null, ""),
                row("(?i)k", "\u212A", "\u212A", ""),
                row("(?ai)k", "\u212A", null, ""),
                row("(?i)ÉTÉ", "/été", "été", ""),
                // nesting, alternation, escaped parens, classes holding "(?P"
                row("((a)(b(c)))", "/abc", "abc", "1=abc,2=a,3=bc,4=c"),
                row("a|b|(c)", "/c", "c", "1=c"),
                row("\\(\\d+\\)", "/f(12)", "(12)", ""),
                row("[(?P<x>)]+", "/a(?P<x>)", "(?P<x>)", ""),
                row("[]a]+", "/x]a]", "]a]", ""),
                row("[[]", "/[", "[", ""),
                row("[\\d-]+", "/12-34/", "12-34", ""),
                row("[\\s]+", "a \t b", " \t ", ""),
                row("[^/]+\\.(?:css|js)$", "/static/app.min.js", "app.min.js", ""),
                row("^/(en|de|fr)/(.*)$", "/de/about/team", "/de/about/team", "1=de,2=about/team"),
                // anchors and Python-only escapes
                row("abc\\Z", "/xabc", "abc", ""),
                row("abc\\Z", "/abc\n", null, ""),
                row("\\Aabc", "abc", "abc", ""),
                row("\\Aabc", "/abc", null, ""),
                row("\\bfoo\\b", "a foo b", "foo", ""),
                row("\\x41\\u0042\\N{LATIN SMALL LETTER C}", "/ABc", "ABc", ""),
                row("\\101", "/A", "A", ""),
                row("(?#comment)abc", "/abc", "abc", ""),
                // quantifiers and braces
                row("x{,2}y", "/xxxy", "xxy", ""),
                row("a{", "/a{", "a{", ""),
                row("a{}", "/a{}", "a{}", ""),
                // lookaround (JDK engine)
                row("(?<=/)\\w+(?=\\.html$)", "/page.html", "page", ""),
                // deliberate deviations from Python
                deviation("abc$", "/abc\n", null, ""),
                deviation("\\d+", "/\u0663", null, ""));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void translatesLikePython(Row r) {
        PyRegex p = PyRegex.compile(r.pattern());
        Optional<Match> m = p.search(r.input());
        if (r.match() == null) {
            assertTrue(m.isEmpty(), () -> "expected no match, got " + m + " via " + p.translated());
            return;
        }
        assertTrue(m.isPresent(), () -> "expected a match via " + p.translated());
        assertEquals(r.match(), m.get().group(0), p.translated());
        Map<String, String> expected = new LinkedHashMap<>();
        if (!r.groups().isEmpty()) {
            for (String kv : r.groups().split(",", -1)) {
                int eq = kv.indexOf('=');
                expected.put(kv.substring(0, eq), kv.substring(eq + 1));
            }
        }
        assertEquals(expected, m.get().captured(), p.translated());
    }

    @Test
    void groupsAreNumberedInPatternOrderAndNamedAsWritten() {
        PyRegex p = PyRegex.compile("(?P<first_name>a)(b)(?<Second2>c)");
        assertEquals(3, p.groupCount());
        assertEquals(Map.of("first_name", 1, "Second2", 3), p.groupNames());
        Match m = p.search("abc").orElseThrow();
        assertEquals("a", m.group("first_name"));
        assertEquals("c", m.group("Second2"));
        assertEquals("b", m.group(2));
    }

    @Test
    void linearPatternsRunOnRe2jOthersOnTheJdk() {
        assertEquals(PyRegex.Engine.RE2J, PyRegex.compile("^/blog/(?P<y>\\d{4})/(.*)$").engine());
        assertEquals(PyRegex.Engine.RE2J, PyRegex.compile("(a+)+$").engine());
        assertEquals(PyRegex.Engine.JDK, PyRegex.compile("(?P<w>a)(?P=w)").engine());
        assertEquals(PyRegex.Engine.JDK, PyRegex.compile("a(?=b)").engine());
        assertEquals(PyRegex.Engine.JDK, PyRegex.compile("(?ai)k").engine());
    }

    @Test
    void dollarIsEndOfInputOutsideMultiline() {
        assertEquals("^a\\z", PyRegex.compile("^a$").translated());
        assertEquals("(?m)^a$", PyRegex.compile("(?m)^a$").translated());
        assertEquals("(?m:a$)b\\z", PyRegex.compile("(?m:a$)b$").translated());
    }

    @Test
    void searchSemanticsFindAnywhere() {
        assertTrue(PyRegex.compile("b").search("/abc").isPresent());
        assertFalse(PyRegex.compile("^b").search("/abc").isPresent());
    }

    static Stream<Arguments> badPatterns() {
        return Stream.of(
                Arguments.of("abc)de(", "unbalanced parenthesis at index 3"),
                Arguments.of("/x/(a", "missing ), unterminated subpattern at index 3"),
                Arguments.of("[abc", "unterminated character set at index 0"),
                Arguments.of("\\q", "bad escape \\q at index 0"),
                Arguments.of("(?P<1x>a)", "bad character in group name '1x' at index 0"),
                Arguments.of("(?P<a>x)(?P<a>y)", "redefinition of group name 'a' at index 8"),
                Arguments.of("(?P=nope)", "unknown group name 'nope' at index 0"),
                Arguments.of("\\2(a)", "invalid group reference 2 at index 0"),
                Arguments.of("(a\\1)", "cannot refer to an open group at index 2"),
                Arguments.of("x{3,2}", "min repeat greater than max repeat at index 1"),
                Arguments.of("(?L)a", "bad inline flags: 'L' (locale) is not supported for text at index 0"),
                Arguments.of("(?(1)a|b)", "conditional groups (?(…)…) are not supported at index 0"),
                Arguments.of("a**", "dangling meta character '*' at index 2"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badPatterns")
    void badPatternsSayWhatAndWhere(String pattern, String message) {
        RegexSyntaxException e = assertThrows(RegexSyntaxException.class, () -> PyRegex.compile(pattern));
        assertEquals(message, e.getMessage());
    }
}
