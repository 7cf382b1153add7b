package io.tenk.handler;

import io.tenk.http.Headers;
import io.tenk.http.Method;
import io.tenk.http.Response;
import io.tenk.http.Status;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

/** The HTTP-01 answers: only pending tokens, by GET or HEAD; everything else goes on to the next handler. */
class AcmeChallengesTest {
    private static final Response NEXT = Response.of(Status.PERMANENT_REDIRECT, new Headers(1).set("Location", "https://x/"));

    private final AcmeChallenges challenges = new AcmeChallenges();
    private final Handler h = challenges.wrap(request -> NEXT);

    private Response ask(Method m, String path) {
        return h.handle(StaticFileHandlerTest.request(m, path, null, new Headers()));
    }

    @Test void aPendingTokenIsAnsweredThenForgotten() {
        challenges.put("tok-1", "tok-1.thumbprint");
        Response r = ask(Method.GET, "/.well-known/acme-challenge/tok-1");
        assertEquals(Status.OK, r.status());
        assertEquals("tok-1.thumbprint", new String(((io.tenk.http.Body.Bytes) r.body()).data(), StandardCharsets.US_ASCII));
        assertEquals(Status.OK, ask(Method.HEAD, "/.well-known/acme-challenge/tok-1").status());
        assertEquals(Status.NOT_FOUND, ask(Method.POST, "/.well-known/acme-challenge/tok-1").status());
        assertEquals(Status.NOT_FOUND, ask(Method.GET, "/.well-known/acme-challenge/tok-2").status());
        assertEquals(Status.NOT_FOUND, ask(Method.GET, "/.well-known/acme-challenge/").status());
        challenges.remove("tok-1");
        assertEquals(Status.NOT_FOUND, ask(Method.GET, "/.well-known/acme-challenge/tok-1").status());
    }

    @Test void otherPathsGoOn() {
        challenges.put("tok", "tok.x");
        assertSame(NEXT, ask(Method.GET, "/tok"));
        assertSame(NEXT, ask(Method.GET, "/.well-known/other/tok"));
    }
}
