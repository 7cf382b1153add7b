package io.tenk.http;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The one path of a request: what rules match and files resolve. */
class RequestPathTest {

    /** RFC 3986 §5.2.4 and §5.4 (paths of the examples, as absolute paths), then tenk's own cases. */
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            /a/b/c/./../../g          | /a/g
            /mid/content=5/../6       | /mid/6
            /b/c/g                    | /b/c/g
            /b/c/g/                   | /b/c/g/
            /b/c/./g                  | /b/c/g
            /b/c/g/.                  | /b/c/g/
            /b/c/.                    | /b/c/
            /b/c/./                   | /b/c/
            /b/c/..                   | /b/
            /b/c/../                  | /b/
            /b/c/../g                 | /b/g
            /b/c/../..                | /
            /b/c/../../g              | /g
            /b/c/g.                   | /b/c/g.
            /b/c/.g                   | /b/c/.g
            /b/c/g..                  | /b/c/g..
            /b/c/..g                  | /b/c/..g
            /b/c/./../g               | /b/g
            /b/c/g/./h                | /b/c/g/h
            /b/c/g/../h               | /b/c/h
            /                         | /
            /.                        | /
            /./                       | /
            //                        | /
            //private/s.txt           | /private/s.txt
            /./private/s.txt          | /private/s.txt
            /x/../private/s.txt       | /private/s.txt
            /a//b///c                 | /a/b/c
            /a//                      | /a/
            /%2e%2e%2Fx               | INVALID
            /x/%2e%2e/private/s.txt   | /private/s.txt
            /x/%2E%2e/private/        | /private/
            /%2e/a                    | /a
            /a/%2e                    | /a/
            /%2e%2e                   | INVALID
            /caf%C3%A9/%20x           | /café/ x
            /%252e%252e/              | /%2e%2e/
            /a+b;c=d:@!$&'()*,~       | /a+b;c=d:@!$&'()*,~
            /..;/x                    | /..;/x
            """)
    void normalises(String raw, String expected) {
        String got = RequestPath.of(raw.strip());
        if (expected.strip().equals("INVALID")) assertNull(got, raw);
        else assertEquals(expected.strip(), got, raw);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "", "a", "*", "x.org:80",                                   // not a path
            "/..", "/../", "/../a", "/a/../..", "/a/../../b", "/./../a", "//../a", "/%2e%2e/a", // above the root
            "/a%2Fb", "/a%2fb", "/%2F", "/..%2Fsecret",                 // an encoded separator
            "/a%00", "/%00/../a", "/a%0A", "/a%0d%0a", "/%7f", "/%c2%85", // NUL and control characters
            "/a%5Cb", "/a\\b",                                          // backslash
            "/%", "/%2", "/%zz", "/%g0", "/a%2",                        // malformed escapes
            "/%ff", "/%c0%ae", "/%e0%80%ae", "/%ed%a0%80", "/%f8%88%80%80%80", "/%c3", // not strict UTF-8
            "/a b", "/a\tb", "/caf\u00e9"                               // not visible ASCII
    })
    void refuses(String raw) {
        assertNull(RequestPath.of(raw), raw);
    }

    @Test
    void decodesOnce() {
        assertEquals("/%2e", RequestPath.of("/%252e"));
        assertEquals("/%41", RequestPath.of("/%2541"));
    }

    @Test
    void rewriteResultsAreNormalisedTheSameWayWithoutDecoding() {
        assertEquals("/a/c", RequestPath.normalize("/a/b/../c"));
        assertEquals("/a%2e%2e/x", RequestPath.normalize("/a%2e%2e/x"), "a decoded path is not decoded again");
        assertEquals("/x/", RequestPath.normalize("//x//"));
        assertNull(RequestPath.normalize("/a/../../x"));
        assertNull(RequestPath.normalize("/a\u0000"));
        assertNull(RequestPath.normalize("a/b"));
        String normal = "/already/normal/";
        assertSame(normal, RequestPath.normalize(normal));
    }

    @Test
    void normalFormIsRecognised() {
        for (String p : new String[] {"/", "/a", "/a/", "/a/b.c", "/ü/ x", "/..a/a..", "/.hidden"}) assertTrue(RequestPath.isNormal(p), p);
        for (String p : new String[] {"", "a", "//", "/a//b", "/.", "/./a", "/a/..", "/a/../b", "/a\\b", "/a\nb", "/a\u0085"}) {
            assertFalse(RequestPath.isNormal(p), p);
        }
    }

    @Test
    void urlPathsAreClampedAtTheRoot() {
        assertEquals("/x", RequestPath.clampUrlPath("/../x"));
        assertEquals("/evil.com", RequestPath.clampUrlPath("//evil.com"));
        assertEquals("/a/", RequestPath.clampUrlPath("/a/b/.."));
        assertEquals("/", RequestPath.clampUrlPath("/.."));
    }

    @Test
    void codecDecodesStrictlyAndEncodesForEachPart() {
        assertEquals("é", PercentCodec.decode("%C3%A9"));
        assertEquals("é", PercentCodec.decode("%c3%a9"));
        assertNull(PercentCodec.decode("%C3"));
        assertNull(PercentCodec.decode("%\u0661\u0662"), "only ASCII hex digits");
        assertEquals("a+b", PercentCodec.decode("a+b"));
        assertEquals("a-._~!$&'()*+,;=:@", PercentCodec.encodeSegment("a-._~!$&'()*+,;=:@"));
        assertEquals("%20%2F%5C%3F%23%25%C3%A9", PercentCodec.encodeSegment(" /\\?#%é"));
        assertEquals("/a/%20%3F", PercentCodec.encodePath("/a/ ?"));
        assertEquals("a%26b%3Dc%2B/?", PercentCodec.encodeQueryValue("a&b=c+/?"));
    }
}
