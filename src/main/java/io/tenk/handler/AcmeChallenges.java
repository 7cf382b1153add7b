package io.tenk.handler;

import io.tenk.http.Body;
import io.tenk.http.Headers;
import io.tenk.http.Method;
import io.tenk.http.Request;
import io.tenk.http.Response;
import io.tenk.http.Status;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The answers to ACME HTTP-01 challenges (RFC 8555 §8.3): while a certificate is being obtained,
 * the CA asks {@code http://NAME/.well-known/acme-challenge/TOKEN} on port 80 and expects the key
 * authorisation. The ACME client {@link #put}s each pending token and {@link #remove}s it when
 * the challenge is done; {@link #wrap} answers them before anything else on a plain listener
 * (before the redirect to HTTPS), and any other token under the path, or another method
 * than GET or HEAD, is 404.
 */
public final class AcmeChallenges {
    private final Map<String, String> pending = new ConcurrentHashMap<>();

    /** {@code token} is pending: answer it with {@code keyAuthorization}. */
    public void put(String token, String keyAuthorization) { pending.put(token, keyAuthorization); }

    /** {@code token}'s challenge is over. */
    public void remove(String token) { pending.remove(token); }

    /** {@code next}, with the challenge path answered from the pending tokens first. */
    public Handler wrap(Handler next) {
        return new Handler() {
            @Override public Response handle(Request request) {
                if (!request.path().startsWith(HttpsSites.ACME_CHALLENGE)) return next.handle(request);
                String answer = pending.get(request.path().substring(HttpsSites.ACME_CHALLENGE.length()));
                boolean read = request.method() == Method.GET || request.method() == Method.HEAD;
                if (answer == null || !read) return next.errorPage(Status.NOT_FOUND);
                Headers h = new Headers(2).set("Content-Type", "application/octet-stream").set("Cache-Control", "no-store");
                return new Response(Status.OK, h, Body.of(answer.getBytes(StandardCharsets.US_ASCII)));
            }

            @Override public Response errorPage(Status status) { return next.errorPage(status); }
        };
    }
}
