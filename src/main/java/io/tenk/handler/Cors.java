package io.tenk.handler;

import io.tenk.http.Body;
import io.tenk.http.Headers;
import io.tenk.http.Method;
import io.tenk.http.Request;
import io.tenk.http.Response;
import io.tenk.http.Status;

/**
 * Cross-origin resource sharing (Fetch standard, §3.2) for a static site, wrapped around the
 * site's chain:
 * <ul>
 *   <li>a preflight ({@code OPTIONS} with {@code Origin} and {@code Access-Control-Request-Method})
 *       from an allowed origin → 204 with the allowed origin, methods ({@value MethodGate#ALLOW}),
 *       the request headers asked for, and a max-age of 10 minutes. Other OPTIONS requests go on
 *       to {@link MethodGate};</li>
 *   <li>every other response gets {@code Access-Control-Allow-Origin} and
 *       {@code Access-Control-Expose-Headers} (the validators, ranges and encoding a script may want).</li>
 * </ul>
 * With a single origin configured, only a request whose {@code Origin} equals it gets the fields,
 * and every response carries {@code Vary: Origin}. Credentials are never allowed.
 */
public final class Cors implements Handler {
    static final String EXPOSE = "Content-Encoding, Content-Range, Accept-Ranges, ETag, Last-Modified";

    private final String allowOrigin;
    private final Handler next;

    /** @param allowOrigin {@code *} or one origin, as checked by {@link SiteOptions} */
    public Cors(String allowOrigin, Handler next) {
        this.allowOrigin = allowOrigin;
        this.next = next;
    }

    private boolean any() { return allowOrigin.equals("*"); }

    private boolean allowed(String origin) {
        return any() || (origin != null && origin.strip().equalsIgnoreCase(allowOrigin));
    }

    @Override public Response handle(Request request) {
        String origin = request.header("Origin");
        String method = request.header("Access-Control-Request-Method");
        if (request.method() == Method.OPTIONS && origin != null && method != null && allowed(origin)) {
            Headers h = new Headers(8);
            h.set("Allow", MethodGate.ALLOW);
            h.set("Access-Control-Allow-Origin", any() ? "*" : allowOrigin);
            h.set("Access-Control-Allow-Methods", MethodGate.ALLOW);
            String asked = request.header("Access-Control-Request-Headers");
            if (asked != null && asked.matches("[A-Za-z0-9!#$%&'*+.^_`|~, \\t-]{1,1024}")) {
                h.set("Access-Control-Allow-Headers", asked.strip());
            }
            h.set("Access-Control-Max-Age", "600");
            if (!any()) h.add("Vary", "Origin");
            return new Response(Status.NO_CONTENT, h, Body.EMPTY);
        }
        Response r = next.handle(request);
        if (r != null) decorate(r.headers(), origin);
        return r;
    }

    private void decorate(Headers h, String origin) {
        if (!any()) h.add("Vary", "Origin");
        if (!allowed(origin)) return;
        h.set("Access-Control-Allow-Origin", any() ? "*" : allowOrigin);
        h.set("Access-Control-Expose-Headers", EXPOSE);
    }

    @Override public Response errorPage(Status status) { return next.errorPage(status); }
}
