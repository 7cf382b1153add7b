package io.tenk.handler;

import io.tenk.files.ContentCoding;
import io.tenk.http.Headers;
import io.tenk.http.Request;
import io.tenk.http.Response;
import io.tenk.http.Status;
import io.tenk.rules.HeaderAction;
import io.tenk.rules.Outcome;
import io.tenk.rules.RuleSet;

import java.util.List;
import java.util.function.Consumer;

/**
 * Applies a site's rules ({@link RuleSet}) to each request, then lets the site's files answer.
 * The rules see the request's one path ({@link Request#path}: decoded and normalised), the
 * path the files are resolved from; a request for a precompressed sibling
 * ({@code /config.json.gz}) is governed by its base's decision too ({@link RuleSet}).
 * <ul>
 *   <li>serve: the (possibly rewritten) path goes to {@code files}; if that answers 404 and a
 *       fallback rule matched, the fallback path is served instead (SPA-style try_files).</li>
 *   <li>redirect: the status and Location the rule built. The request's query string is
 *       appended when the rule's target has no query of its own (a target with {@code ?} keeps
 *       only its own query).</li>
 *   <li>deny: the standard 403 or 404 page.</li>
 *   <li>header actions are applied to the final response when its status is 2xx or 3xx (an
 *       error page does not get, say, a year-long Cache-Control).</li>
 *   <li>a rewrite whose result climbs above the root → 400; a pattern over its match budget →
 *       500, and one line goes to {@code problems} (the error log, which bounds how often such
 *       lines go out; the line never quotes the path).</li>
 * </ul>
 * The rewritten path replaces the request's path only; the request line in the access log stays
 * as the client sent it.
 */
public final class RulesHandler implements Handler {
    private final RuleSet rules;
    private final Handler files;
    private final Consumer<String> problems;

    public RulesHandler(RuleSet rules, Handler files, Consumer<String> problems) {
        this.rules = rules;
        this.files = files;
        this.problems = problems;
    }

    @Override public Response handle(Request request) {
        if (rules.isEmpty()) return files.handle(request);
        return switch (rules.evaluate(request.path(), ContentCoding.SUFFIXES)) {
            case Outcome.Serve s -> {
                Request r = s.rewritten() ? withPath(request, s.path()) : request;
                Response resp = files.handle(r);
                boolean fellBack = false;
                if (s.fallback().isPresent() && (resp == null || resp.status() == Status.NOT_FOUND)) {
                    if (resp != null) resp.body().close();
                    resp = files.handle(withPath(request, s.fallback().get()));
                    fellBack = true;
                }
                RuleMatches decided = fellBack ? RuleMatches.FALLBACK : s.rewritten() ? RuleMatches.REWRITE
                        : s.headers().isEmpty() ? null : RuleMatches.HEADER;
                if (decided != null) decided.count().increment();
                yield applyHeaders(resp, s.headers());
            }
            case Outcome.Redirect r -> {
                RuleMatches.REDIRECT.count().increment();
                Headers h = new Headers(4).set("Location", withQuery(r.location(), request.query()));
                yield applyHeaders(Response.of(r.status(), h), r.headers());
            }
            case Outcome.Deny d -> {
                RuleMatches.DENY.count().increment();
                yield ErrorPages.of(d.status());
            }
            case Outcome.Error e -> {
                RuleMatches.ERROR.count().increment();
                if (e.kind() == Outcome.Kind.MATCH_BUDGET_EXCEEDED) problems.accept(e.logLine());
                yield ErrorPages.of(e.status());
            }
        };
    }

    /** Appends {@code ?query} to a Location that has no query of its own (before any fragment). */
    static String withQuery(String location, String query) {
        if (query == null || location.indexOf('?') >= 0) return location;
        int hash = location.indexOf('#');
        return hash < 0 ? location + "?" + query : location.substring(0, hash) + "?" + query + location.substring(hash);
    }

    private static Response applyHeaders(Response resp, List<HeaderAction> actions) {
        if (resp == null || actions.isEmpty()) return resp;
        int code = resp.status().code();
        if (code < 200 || code >= 400) return resp;
        for (HeaderAction a : actions) {
            if (a.mode() == HeaderAction.Mode.SET) resp.headers().set(a.name(), a.value());
            else resp.headers().add(a.name(), a.value());
        }
        return resp;
    }

    private static Request withPath(Request r, String path) {
        return new Request(r.method(), r.methodToken(), r.target(), path, r.query(), r.version(), r.headers(),
                r.host(), r.keepAlive(), r.bodyLength());
    }
}
