package io.tenk.files;

import io.tenk.files.Preconditions.Outcome;
import io.tenk.http.Headers;
import io.tenk.http.Method;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;

class PreconditionsTest {
    static final String ETAG = "\"abc\"";
    static final long LM = 784111777L; // Sun, 06 Nov 1994 08:49:37 GMT
    static final long NOW = LM + 3600;
    // Dates used in the table: BEFORE = LM-1, AT = LM, AFTER = LM+1, FUTURE = LM+1 day (after NOW).

    private static String date(String token) {
        if (token == null) return null;
        return switch (token) {
            case "BEFORE" -> "Sun, 06 Nov 1994 08:49:36 GMT";
            case "AT" -> "Sun, 06 Nov 1994 08:49:37 GMT";
            case "BEFOREASC" -> "Sun Nov  6 08:49:36 1994";
            case "ATASC" -> "Sun Nov  6 08:49:37 1994";
            case "AFTER" -> "Sun, 06 Nov 1994 08:49:38 GMT";
            case "FUTURE" -> "Mon, 07 Nov 1994 08:49:37 GMT";
            case "JUNK" -> "yesterday";
            default -> token;
        };
    }

    @ParameterizedTest(name = "{0}: {1} {2} IM={3} IUS={4} INM={5} IMS={6}")
    @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
            no conditions                     | GET  | -                 | -      | -                 | -      | PROCEED
            IM exact                          | GET  | "abc"             | -      | -                 | -      | PROCEED
            IM star                           | GET  | *                 | -      | -                 | -      | PROCEED
            IM list hit                       | GET  | "x", "abc"        | -      | -                 | -      | PROCEED
            IM list no spaces                 | GET  | "x","abc"         | -      | -                 | -      | PROCEED
            IM miss                           | GET  | "x"               | -      | -                 | -      | PRECONDITION_FAILED
            IM weak tag fails strong compare  | GET  | W/"abc"           | -      | -                 | -      | PRECONDITION_FAILED
            IM malformed                      | GET  | abc               | -      | -                 | -      | PRECONDITION_FAILED
            IM unterminated                   | GET  | "abc              | -      | -                 | -      | PRECONDITION_FAILED
            IM miss on PUT                    | PUT  | "x"               | -      | -                 | -      | PRECONDITION_FAILED
            IM miss beats INM hit             | GET  | "x"               | -      | "abc"             | -      | PRECONDITION_FAILED
            IM hit then INM hit               | GET  | "abc"             | -      | "abc"             | -      | NOT_MODIFIED
            IM hit skips IUS                  | GET  | "abc"             | BEFORE | -                 | -      | PROCEED
            IUS modified since                | GET  | -                 | BEFORE | -                 | -      | PRECONDITION_FAILED
            IUS same second                   | GET  | -                 | AT     | -                 | -      | PROCEED
            IUS later                         | GET  | -                 | AFTER  | -                 | -      | PROCEED
            IUS junk ignored                  | GET  | -                 | JUNK   | -                 | -      | PROCEED
            IUS asctime, modified since       | GET  | -              | BEFOREASC | -                 | -      | PRECONDITION_FAILED
            IUS fails before INM              | GET  | -                 | BEFORE | "abc"             | -      | PRECONDITION_FAILED
            INM hit GET                       | GET  | -                 | -      | "abc"             | -      | NOT_MODIFIED
            INM hit HEAD                      | HEAD | -                 | -      | "abc"             | -      | NOT_MODIFIED
            INM hit POST                      | POST | -                 | -      | "abc"             | -      | PRECONDITION_FAILED
            INM weak matches                  | GET  | -                 | -      | W/"abc"           | -      | NOT_MODIFIED
            INM list hit                      | GET  | -                 | -      | "x" , W/"y", "abc"| -      | NOT_MODIFIED
            INM star                          | GET  | -                 | -      | *                 | -      | NOT_MODIFIED
            INM star on PUT                   | PUT  | -                 | -      | *                 | -      | PRECONDITION_FAILED
            INM miss                          | GET  | -                 | -      | "x"               | -      | PROCEED
            INM case matters                  | GET  | -                 | -      | "ABC"             | -      | PROCEED
            INM miss overrides IMS            | GET  | -                 | -      | "x"               | AT     | PROCEED
            INM malformed tail, earlier hit   | GET  | -                 | -      | "abc", junk       | -      | NOT_MODIFIED
            INM malformed before hit          | GET  | -                 | -      | junk, "abc"       | -      | PROCEED
            IMS same second                   | GET  | -                 | -      | -                 | AT     | NOT_MODIFIED
            IMS later                         | GET  | -                 | -      | -                 | AFTER  | NOT_MODIFIED
            IMS asctime                       | GET  | -                 | -      | -                 | ATASC  | NOT_MODIFIED
            IMS HEAD                          | HEAD | -                 | -      | -                 | AT     | NOT_MODIFIED
            IMS modified since                | GET  | -                 | -      | -                 | BEFORE | PROCEED
            IMS in the future ignored         | GET  | -                 | -      | -                 | FUTURE | PROCEED
            IMS junk ignored                  | GET  | -                 | -      | -                 | JUNK   | PROCEED
            IMS ignored on POST               | POST | -                 | -      | -                 | AT     | PROCEED
            """)
    void table(String name, String method, String ifMatch, String ius, String inm, String ims, Outcome expected) {
        Headers h = new Headers();
        if (ifMatch != null) h.add("If-Match", ifMatch);
        if (ius != null) h.add("If-Unmodified-Since", date(ius));
        if (inm != null) h.add("If-None-Match", inm);
        if (ims != null) h.add("If-Modified-Since", date(ims));
        assertEquals(expected, Preconditions.evaluate(Method.valueOf(method), h, ETAG, LM, NOW), name);
    }

    @Test
    void listFieldsSpreadOverSeveralLinesAreCombined() {
        Headers h = new Headers().add("If-None-Match", "\"x\"").add("If-None-Match", "\"abc\"");
        assertEquals(Outcome.NOT_MODIFIED, Preconditions.evaluate(Method.GET, h, ETAG, LM, NOW));
        Headers m = new Headers().add("If-Match", "\"x\"").add("If-Match", "\"abc\"");
        assertEquals(Outcome.PROCEED, Preconditions.evaluate(Method.GET, m, ETAG, LM, NOW));
    }

    @Test
    void blankFieldsCountAsAbsent() {
        Headers h = new Headers().add("If-Match", " ").add("If-None-Match", "").add("If-Modified-Since", " ");
        assertEquals(Outcome.PROCEED, Preconditions.evaluate(Method.GET, h, ETAG, LM, NOW));
    }

    @Test
    void usesTheCurrentClockByDefault() {
        long now = System.currentTimeMillis() / 1000;
        Headers h = new Headers().add("If-Modified-Since", io.tenk.http.HttpDate.format(now - 10));
        assertEquals(Outcome.NOT_MODIFIED, Preconditions.evaluate(Method.GET, h, ETAG, now - 20));
        assertEquals(Outcome.PROCEED, Preconditions.evaluate(Method.GET, h, ETAG, now - 5));
    }
}
