package io.tenk.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tenk.http.RequestPath;
import io.tenk.http.Status;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RuleSetTest {

    static final String IMMUTABLE = "public, max-age=31536000, immutable";

    static Outcome.Serve serve(String path) { return new Outcome.Serve(path, false, List.of(), Optional.empty()); }

    static Outcome.Serve rewritten(String path) { return new Outcome.Serve(path, true, List.of(), Optional.empty()); }

    static Outcome.Redirect redirect(Status s, String location) { return new Outcome.Redirect(s, location, List.of()); }

    /** The path of a request-target as the server makes it ({@link RequestPath}); rules are given that. */
    static String path(String raw) { return RequestPath.of(raw); }

    static HeaderAction set(String name, String value) { return new HeaderAction(HeaderAction.Mode.SET, name, value); }

    static HeaderAction add(String name, String value) { return new HeaderAction(HeaderAction.Mode.ADD, name, value); }

    /** The examples from the issue, spelled exactly as there. */
    @Nested
    class IssueExamples {
        final RuleSet site = RuleSet.builder()
                .redirect("^/blog/(?P<year>\\d{4})/(?P<slug>[^/]+)\\.html$", "/posts/\\g<year>/\\g<slug>/", 301)
                .rewrite("^/docs/(.*)$", "/documentation/\\1", false)
                .deny("(?i)/\\.git(/|$)", 404)
                .setHeader("\\.(css|js|woff2)$", "Cache-Control", IMMUTABLE)
                .fallback("^/", "/index.html")
                .build();

        @Test
        void oldBlogRedirect() {
            assertEquals(redirect(Status.MOVED_PERMANENTLY, "/posts/2019/hello-world/"), site.evaluate("/blog/2019/hello-world.html"));
            assertEquals(new Outcome.Serve("/blog/19/x.html", false, List.of(), Optional.of("/index.html")), site.evaluate("/blog/19/x.html"));
        }

        @Test
        void docsRewrite() {
            assertEquals(new Outcome.Serve("/documentation/intro/start", true, List.of(), Optional.of("/index.html")),
                    site.evaluate("/docs/intro/start"));
        }

        @Test
        void gitDenied() {
            assertEquals(new Outcome.Deny(Status.NOT_FOUND), site.evaluate("/.git/config"));
            assertEquals(new Outcome.Deny(Status.NOT_FOUND), site.evaluate("/sub/.GIT"));
            assertEquals(new Outcome.Deny(Status.NOT_FOUND), site.evaluate(path("/%2Egit/HEAD"))); // matched decoded
            assertInstanceOf(Outcome.Serve.class, site.evaluate("/.github/workflows"));
        }

        @Test
        void cacheHeadersForAssets() {
            assertEquals(new Outcome.Serve("/app.min.js", false, List.of(set("Cache-Control", IMMUTABLE)), Optional.of("/index.html")),
                    site.evaluate("/app.min.js"));
            assertEquals(List.of(), ((Outcome.Serve) site.evaluate("/app.json")).headers());
        }

        @Test
        void cleanUrlsWithoutHtml() {
            RuleSet clean = RuleSet.builder()
                    .redirect("^/(.+)\\.html$", "/\\1", 301)
                    .rewrite("^/((?:[^/]+/)*[^./]+)$", "/\\1.html", true)
                    .build();
            assertEquals(redirect(Status.MOVED_PERMANENTLY, "/about"), clean.evaluate("/about.html"));
            assertEquals(redirect(Status.MOVED_PERMANENTLY, "/team/ada"), clean.evaluate("/team/ada.html"));
            assertEquals(rewritten("/about.html"), clean.evaluate("/about"));
            assertEquals(rewritten("/team/ada.html"), clean.evaluate("/team/ada"));
            assertEquals(serve("/"), clean.evaluate("/"));
            assertEquals(serve("/css/site.css"), clean.evaluate("/css/site.css"));
        }

        @Test
        void languagePrefix() {
            RuleSet i18n = RuleSet.builder()
                    .redirect("^/$", "/en/", 302)
                    .rewrite("^/(en|de|fr)/(.*)$", "/i18n/\\1/\\2", false)
                    .setHeader("^/i18n/de/", "Content-Language", "de")
                    .build();
            assertEquals(redirect(Status.FOUND, "/en/"), i18n.evaluate("/"));
            assertEquals(new Outcome.Serve("/i18n/de/about/team", true, List.of(set("Content-Language", "de")), Optional.empty()),
                    i18n.evaluate("/de/about/team"));
            assertEquals(rewritten("/i18n/fr/"), i18n.evaluate("/fr/"));
            assertEquals(serve("/es/about"), i18n.evaluate("/es/about"));
        }
    }

    @Nested
    class Order {
        @Test
        void rewriteThenContinueLetsLaterRulesSeeTheNewPath() {
            RuleSet rs = RuleSet.builder()
                    .rewrite("^/old/(.*)$", "/new/\\1", false)
                    .deny("^/new/secret", 403)
                    .build();
            assertEquals(new Outcome.Deny(Status.FORBIDDEN), rs.evaluate("/old/secret"));
            assertEquals(rewritten("/new/public"), rs.evaluate("/old/public"));
        }

        @Test
        void rewriteStopEndsEvaluation() {
            RuleSet rs = RuleSet.builder()
                    .rewrite("^/old/(.*)$", "/new/\\1", true)
                    .deny("^/new/secret", 403)
                    .build();
            assertEquals(rewritten("/new/secret"), rs.evaluate("/old/secret"));
            assertEquals(new Outcome.Deny(Status.FORBIDDEN), rs.evaluate("/new/secret"));
        }

        @Test
        void rewritesChainAndARedirectSeesTheResult() {
            RuleSet rs = RuleSet.builder()
                    .rewrite("^/a/(.*)$", "/b/\\1", false)
                    .rewrite("^/b/(.*)$", "/c/\\1", false)
                    .redirect("^/c/(.*)$", "/d/$1", 308)
                    .build();
            assertEquals(redirect(Status.PERMANENT_REDIRECT, "/d/x"), rs.evaluate("/a/x"));
        }

        @Test
        void firstDecidingRuleWins() {
            RuleSet rs = RuleSet.builder()
                    .deny("^/x", 403)
                    .redirect("^/x", "/y", 301)
                    .build();
            assertEquals(new Outcome.Deny(Status.FORBIDDEN), rs.evaluate("/x"));
        }

        @Test
        void headersAccumulateAndSetReplacesEarlierOfItsName() {
            RuleSet rs = RuleSet.builder()
                    .setHeader("\\.css$", "Cache-Control", IMMUTABLE)
                    .addHeader(".", "Vary", "Accept-Encoding")
                    .addHeader(".", "X-Frame-Options", "DENY")
                    .addHeader("^/nocache/", "vary", "Cookie")
                    .setHeader("^/nocache/", "cache-control", "no-store")
                    .build();
            assertEquals(List.of(set("Cache-Control", IMMUTABLE), add("Vary", "Accept-Encoding"), add("X-Frame-Options", "DENY")),
                    ((Outcome.Serve) rs.evaluate("/a.css")).headers());
            assertEquals(List.of(add("Vary", "Accept-Encoding"), add("X-Frame-Options", "DENY"), add("vary", "Cookie"), set("cache-control", "no-store")),
                    ((Outcome.Serve) rs.evaluate("/nocache/a.css")).headers());
        }

        @Test
        void headersCollectedBeforeARedirectTravelWithItButNotWithADeny() {
            RuleSet rs = RuleSet.builder()
                    .setHeader(".", "X-Robots-Tag", "noindex")
                    .redirect("^/go$", "/went", 307)
                    .deny("^/no$", 404)
                    .build();
            assertEquals(new Outcome.Redirect(Status.TEMPORARY_REDIRECT, "/went", List.of(set("X-Robots-Tag", "noindex"))), rs.evaluate("/go"));
            assertEquals(new Outcome.Deny(Status.NOT_FOUND), rs.evaluate("/no"));
        }

        @Test
        void firstMatchingFallbackWinsAndEvaluationGoesOn() {
            RuleSet rs = RuleSet.builder()
                    .fallback("^/(en|de)/", "/\\1/index.html")
                    .fallback("^/", "/index.html")
                    .deny("^/de/private/", 403)
                    .build();
            assertEquals(new Outcome.Serve("/de/app/route", false, List.of(), Optional.of("/de/index.html")), rs.evaluate("/de/app/route"));
            assertEquals(new Outcome.Serve("/x", false, List.of(), Optional.of("/index.html")), rs.evaluate("/x"));
            assertEquals(new Outcome.Deny(Status.FORBIDDEN), rs.evaluate("/de/private/x"));
        }

        @Test
        void noRulesServeTheInputUntouched() {
            assertEquals(serve("/a b/~c"), RuleSet.EMPTY.evaluate(path("/a%20b/%7Ec")));
        }
    }

    /** Patterns see the path decoded and normalised; a rewrite's result is normalised the same way. */
    @Nested
    class Paths {
        final RuleSet rs = RuleSet.builder()
                .rewrite("^/café$", "/menu/café", true)
                .rewrite("^/docs/(.*)$", "/documentation/\\1", true)
                .rewrite("^/static/(.*)$", "/assets/\\1/../x", true)
                .rewrite("^/f(.*)$", "/\\1", true)
                .build();

        @Test
        void matchesTheDecodedPath() {
            assertEquals(rewritten("/menu/café"), rs.evaluate(path("/caf%C3%A9")));
            assertEquals(rewritten("/documentation/a?b#c% d"), rs.evaluate(path("/docs/a%3Fb%23c%25%20d")));
            assertEquals(rewritten("/documentation/evil.com"), rs.evaluate(path("/docs//evil.com")));
        }

        @Test
        void rewriteResultsLoseDotSegments() {
            assertEquals(rewritten("/assets/x"), rs.evaluate(path("/static/a")));
            assertEquals(rewritten("/assets/a/x"), rs.evaluate("/static/a//b"), "an input not normalised is normalised first");
        }

        @Test
        void aRewriteClimbingAboveTheRootIsABadRequest() {
            // the segment "f.." is harmless; the group ".." after the rewrite is not
            Outcome.Error e = assertInstanceOf(Outcome.Error.class, rs.evaluate(path("/f../etc/passwd")));
            assertEquals(Outcome.Kind.INVALID_PATH, e.kind());
            assertEquals(Status.BAD_REQUEST, e.status());
            assertEquals(4, e.ruleNumber());
        }

        @Test
        void pathsThatCannotBeNormalisedNeverReachTheRules() {
            for (String bad : List.of("/a%zz", "/a%", "/a%C3%28", "/%ff", "/docs/a%2Fb", "/static/..%2F..%2Fetc/passwd", "/nl/a%0Ab", "/a%00")) {
                assertNull(path(bad), bad);
            }
            Outcome.Error e = assertInstanceOf(Outcome.Error.class, rs.evaluate("/../x"));
            assertEquals(Outcome.Kind.INVALID_PATH, e.kind());
        }
    }

    /** A decision about a path governs its precompressed siblings. */
    @Nested
    class Siblings {
        static final List<String> SUFFIXES = List.of(".br", ".zst", ".gz");
        final RuleSet rs = RuleSet.builder()
                .deny("^/config\\.json$", 403)
                .rewrite("^/old\\.js$", "/new.js", false)
                .deny("\\.br$", 404)
                .build();

        @Test
        void aDeniedPathsSiblingsAreDeniedTheSameWay() {
            assertEquals(new Outcome.Deny(Status.FORBIDDEN), rs.evaluate("/config.json.gz", SUFFIXES));
            assertEquals(new Outcome.Deny(Status.FORBIDDEN), rs.evaluate("/config.json.zst", SUFFIXES));
            assertEquals(new Outcome.Deny(Status.NOT_FOUND), rs.evaluate("/config.json.br", SUFFIXES), "the sibling's own rule first");
            assertEquals(serve("/config.json.gz"), rs.evaluate("/config.json.gz"), "without suffixes, no sibling is known");
            assertEquals(serve("/config.json.txt"), rs.evaluate("/config.json.txt", SUFFIXES));
            assertEquals(serve("/.gz"), rs.evaluate("/.gz", SUFFIXES));
        }

        @Test
        void aRewrittenPathsSiblingsFollowTheRewrite() {
            assertEquals(rewritten("/new.js.gz"), rs.evaluate("/old.js.gz", SUFFIXES));
            assertEquals(serve("/app.js.gz"), rs.evaluate("/app.js.gz", SUFFIXES));
        }

        @Test
        void theTraceShowsTheBase() {
            Trace t = rs.trace("/config.json.zst", SUFFIXES);
            assertEquals("/config.json", t.base());
            assertEquals(new Outcome.Deny(Status.FORBIDDEN), t.outcome());
            assertTrue(t.render().contains("precompressed sibling of /config.json, governed by its rules:\nrule 1 deny"), t.render());
        }
    }

    @Nested
    class LocationSafety {
        final RuleSet rs = RuleSet.builder()
                .redirect("(?s)^/go/(.*)$", "/to/\\1", 302)
                .redirect("(?s)^/r(.*)$", "/\\1", 302)
                .redirect("^/search/(.*)$", "/find?q=\\1#\\1", 302)
                .redirect("(?s)^/away/(.*)$", "https://example.com/\\1", 301)
                .redirect("^/nl/(.*)$", "/to/\\1", 302)
                .build();

        static Stream<Arguments> cases() {
            return Stream.of(
                    Arguments.of("/go/a%20b%22%3C", "/to/a%20b%22%3C"),
                    Arguments.of("/r//evil.com", "/evil.com"),
                    Arguments.of("/r/caf%C3%A9?x", "/caf%C3%A9%3Fx"),
                    Arguments.of("/search/a&b=c%20d", "/find?q=a%26b%3Dc%20d#a%26b%3Dc%20d"),
                    Arguments.of("/away/x%20y//z", "https://example.com/x%20y/z"));
        }

        @ParameterizedTest(name = "{0} -> {1}")
        @MethodSource("cases")
        void locationIsSafe(String raw, String location) {
            Outcome.Redirect r = assertInstanceOf(Outcome.Redirect.class, rs.evaluate(path(raw)));
            assertEquals(location, r.location());
        }

        @Test
        void controlCharactersBackslashesAndEncodedSlashesNeverReachARedirect() {
            for (String raw : List.of("/go/x%0D%0ASet-Cookie:%20a=b", "/go/x%0Ay", "/go/%7F%C2%85%09", "/r%2F%2Fevil.com",
                    "/r/%5Cevil.com", "/r/\\evil.com", "/r/./../..//evil.com", "/away/x%0D%0Ay/%2F%2Fz", "/nl/a%0Ab")) {
                assertNull(path(raw), raw);
            }
        }

        @Test
        void aGroupThatClimbsIsClampedInTheLocation() {
            assertEquals("/x", assertInstanceOf(Outcome.Redirect.class, rs.evaluate("/r../x")).location());
        }

        @Test
        void noCapturedCharacterCanBreakTheLocation() {
            for (int c = 0; c < 0x3000; c++) {
                if (Character.isSurrogate((char) c)) continue;
                String p = RequestPath.normalize("/r/" + Character.toString(c) + "//" + (char) c);
                if (p == null) continue;
                String loc = ((Outcome.Redirect) rs.evaluate(p)).location();
                assertTrue(loc.chars().allMatch(ch -> ch > 0x20 && ch < 0x7F), loc);
                assertTrue(loc.startsWith("/") && !loc.startsWith("//") && !loc.startsWith("/\\"), loc);
            }
        }

        static Stream<Arguments> unsafeTargets() {
            return Stream.of(
                    Arguments.of("//\\1", "rule 1 (redirect): bad target: must be a path starting with a single '/' or an http(s):// URL"),
                    Arguments.of("/\\\\\\1", "rule 1 (redirect): bad target: must be a path starting with a single '/' or an http(s):// URL"),
                    Arguments.of("\\1", "rule 1 (redirect): bad target: must be a path starting with a single '/' or an http(s):// URL"),
                    Arguments.of("evil.com/\\1", "rule 1 (redirect): bad target: must be a path starting with a single '/' or an http(s):// URL"),
                    Arguments.of("javascript:alert(1)", "rule 1 (redirect): bad target: must be a path starting with a single '/' or an http(s):// URL"),
                    Arguments.of("https://\\1/", "rule 1 (redirect): bad target: an absolute URL must spell out its host before any group reference"),
                    Arguments.of("https://exa\\1mple.com/", "rule 1 (redirect): bad target: an absolute URL must spell out its host before any group reference"),
                    Arguments.of("/a\r\nSet-Cookie: x", "rule 1 (redirect): bad target: contains a control character"));
        }

        @ParameterizedTest(name = "{0}")
        @MethodSource("unsafeTargets")
        void unsafeTargetsAreRefusedAtConfigTime(String to, String message) {
            RuleException e = assertThrows(RuleException.class, () -> RuleSet.builder().redirect("^/(.*)$", to, 302));
            assertEquals(message, e.getMessage());
        }
    }

    @Nested
    class Budget {
        static final String HOSTILE = "/" + "a".repeat(5000) + "!";
        /**
         * Unbounded backtracking on this path would take longer than any test run, a linear or
         * budgeted match a few milliseconds: CPU time of this thread, which a loaded machine does
         * not stretch the way it stretches wall time.
         */
        static final long CPU_BOUND_MILLIS = 2_000;

        static long cpuNanos() {
            return java.lang.management.ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
        }

        @Test
        void catastrophicPatternOnRe2jIsLinear() {
            RuleSet rs = RuleSet.builder().deny("(a+)+$", 403).build();
            assertEquals(PyRegex.Engine.RE2J, rs.rules().getFirst().pattern().engine());
            long t0 = cpuNanos();
            Outcome o = rs.evaluate(HOSTILE);
            long ms = (cpuNanos() - t0) / 1_000_000;
            assertEquals(serve(HOSTILE), o);
            assertTrue(ms < CPU_BOUND_MILLIS, "took " + ms + " ms of CPU");
            System.out.println("(a+)+$ on RE2/J, 5002-char hostile path: " + ms + " ms of CPU");
        }

        @Test
        void catastrophicPatternOnTheJdkStopsAtTheBudget() {
            // the lookahead forces the backtracking JDK engine
            RuleSet rs = RuleSet.builder().rewrite("^/x", "/y", false).deny("(?=a)(a+)+$", 403).build();
            assertEquals(PyRegex.Engine.JDK, rs.rules().get(1).pattern().engine());
            long t0 = cpuNanos();
            Outcome o = rs.evaluate(HOSTILE);
            long ms = (cpuNanos() - t0) / 1_000_000;
            Outcome.Error e = assertInstanceOf(Outcome.Error.class, o);
            assertEquals(Outcome.Kind.MATCH_BUDGET_EXCEEDED, e.kind());
            assertEquals(Status.INTERNAL_SERVER_ERROR, e.status());
            assertEquals(2, e.ruleNumber());
            assertEquals("rule 2 (deny): match budget of 1000000 character reads exceeded on a 5002-char path", e.logLine());
            assertTrue(ms < CPU_BOUND_MILLIS, "took " + ms + " ms of CPU");
            System.out.println("(?=a)(a+)+$ on the JDK, 5002-char hostile path: " + ms + " ms of CPU to give up");
        }

        @Test
        void backReferencePatternsStillMatchNormally() {
            RuleSet rs = RuleSet.builder().deny("^/(?P<d>[a-z]+)/(?P=d)/", 404).build();
            assertEquals(new Outcome.Deny(Status.NOT_FOUND), rs.evaluate("/abc/abc/x"));
            assertEquals(serve("/abc/abd/x"), rs.evaluate("/abc/abd/x"));
        }

        @Test
        void budgetIsConfigurable() {
            RuleSet tight = RuleSet.builder().budget(10).deny("(?P<a>x)(?P=a)", 403).build();
            assertInstanceOf(Outcome.Error.class, tight.evaluate("/" + "y".repeat(100)));
        }
    }

    @Nested
    class ConfigErrors {
        static Stream<Arguments> cases() {
            return Stream.of(
                    Arguments.of((Runnable) () -> RuleSet.builder().deny("x", 404).deny("y", 403).redirect("^/(a|b))x", "/x", 301),
                            "rule 3 (redirect): bad pattern: unbalanced parenthesis at index 7"),
                    Arguments.of((Runnable) () -> RuleSet.builder().rewrite("^/docs/(.*$", "/d/\\1", false),
                            "rule 1 (rewrite): bad pattern: missing ), unterminated subpattern at index 7"),
                    Arguments.of((Runnable) () -> RuleSet.builder().deny("[a-", 404),
                            "rule 1 (deny): bad pattern: unterminated character set at index 0"),
                    Arguments.of((Runnable) () -> RuleSet.builder().deny("x", 500),
                            "rule 1 (deny): bad status 500 (expected 403 or 404)"),
                    Arguments.of((Runnable) () -> RuleSet.builder().redirect("x", "/y", 200),
                            "rule 1 (redirect): bad status 200 (expected 301, 302, 303, 307 or 308)"),
                    Arguments.of((Runnable) () -> RuleSet.builder().rewrite("^/(a)$", "/\\2", false),
                            "rule 1 (rewrite): bad target: invalid group reference 2 (the pattern has 1 group) at index 1"),
                    Arguments.of((Runnable) () -> RuleSet.builder().rewrite("^/(a)$", "\\1/x", false),
                            "rule 1 (rewrite): bad target: must start with '/'"),
                    Arguments.of((Runnable) () -> RuleSet.builder().rewrite("^/(a)$", "/x?y=\\1", false),
                            "rule 1 (rewrite): bad target: a path may not contain '?' or '#' (rules change paths only)"),
                    Arguments.of((Runnable) () -> RuleSet.builder().fallback("^/", "index.html"),
                            "rule 1 (fallback): bad target: must start with '/'"),
                    Arguments.of((Runnable) () -> RuleSet.builder().setHeader(".", "Bad Name", "x"),
                            "rule 1 (header): bad header name 'Bad Name'"),
                    Arguments.of((Runnable) () -> RuleSet.builder().setHeader(".", "Server", "x"),
                            "rule 1 (header): tenk sets Server itself"),
                    Arguments.of((Runnable) () -> RuleSet.builder().setHeader(".", "X-A", "a\r\nb"),
                            "rule 1 (header): header X-A: value contains a control character"));
        }

        @ParameterizedTest(name = "{1}")
        @MethodSource("cases")
        void messageNamesTheRule(Runnable build, String message) {
            RuleException e = assertThrows(RuleException.class, build::run);
            assertEquals(message, e.getMessage());
            assertFalse(e.getMessage().contains("\n"));
        }
    }

    @Test
    void traceShowsEachRuleItsGroupsAndResult() {
        RuleSet rs = RuleSet.builder()
                .redirect("^/blog/(?P<year>\\d{4})/(?P<slug>[^/]+)\\.html$", "/posts/\\g<year>/\\g<slug>/", 301)
                .rewrite("^/(?P<lang>en|de)/(.*)$", "/\\2", false)
                .setHeader("\\.css$", "Cache-Control", IMMUTABLE)
                .redirect("^/blog/(?P<year>\\d{4})/(?P<slug>[^/]+)\\.html$", "/posts/\\g<year>/\\g<slug>/", 301)
                .build();
        Trace t = rs.trace(path("/de/blog/2020/caf%C3%A9.html"), List.of());
        assertEquals("/de/blog/2020/café.html", t.path());
        assertNull(t.base());
        assertEquals(4, t.steps().size());
        assertEquals(new Trace.Step(1, "redirect", "^/blog/(?P<year>\\d{4})/(?P<slug>[^/]+)\\.html$", "/de/blog/2020/café.html",
                false, Map.of(), "no match"), t.steps().get(0));
        Trace.Step s2 = t.steps().get(1);
        assertEquals(Map.of("1", "de", "2", "blog/2020/café.html", "lang", "de"), s2.groups());
        assertEquals("rewrite /blog/2020/café.html", s2.result());
        assertEquals("no match", t.steps().get(2).result());
        Trace.Step s4 = t.steps().get(3);
        assertEquals(Map.of("1", "2020", "2", "café", "year", "2020", "slug", "café"), s4.groups());
        assertEquals("redirect 301 /posts/2020/caf%C3%A9/", s4.result());
        assertEquals(redirect(Status.MOVED_PERMANENTLY, "/posts/2020/caf%C3%A9/"), t.outcome());
        assertEquals(rs.evaluate(path("/de/blog/2020/caf%C3%A9.html")), t.outcome());
        String text = t.render();
        assertTrue(text.contains("rule 2 rewrite ^/(?P<lang>en|de)/(.*)$: 1=de 2=blog/2020/café.html lang=de -> rewrite /blog/2020/café.html"), text);
        assertTrue(text.endsWith("outcome: redirect 301 /posts/2020/caf%C3%A9/\n"), text);
    }
}
