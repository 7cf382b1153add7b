package io.tenk.handler;

import io.tenk.http.Headers;
import io.tenk.http.Request;
import io.tenk.http.Response;
import io.tenk.http.Status;

/**
 * What the scheme a request came by changes, for the sites that have HTTPS:
 * <ul>
 *   <li>on a plain listener, a request for such a site gets {@code 308 Permanent Redirect} to
 *       the same target over HTTPS (the method and body are kept), except under
 *       {@code /.well-known/acme-challenge/}, which a certificate authority checks over plain HTTP;</li>
 *   <li>on an HTTPS listener, the responses of a site with HSTS carry
 *       {@code Strict-Transport-Security}.</li>
 * </ul>
 * The site is the one {@link HostTable} picks for the request, as for everything else.
 */
public final class HttpsSites implements Handler {
    public static final String ACME_CHALLENGE = "/.well-known/acme-challenge/";

    private final Handler next;
    private final HostTable hosts;
    private final boolean[] marked;   // per site: redirect (plain listener) or HSTS (HTTPS listener)
    private final boolean secure;
    private final int httpsPort;
    private final String hsts;

    private HttpsSites(Handler next, HostTable hosts, boolean[] marked, boolean secure, int httpsPort, long hstsMaxAge) {
        this.next = next;
        this.hosts = hosts;
        this.marked = marked.clone();
        this.secure = secure;
        this.httpsPort = httpsPort;
        this.hsts = "max-age=" + hstsMaxAge;
    }

    /** A plain listener: the sites with HTTPS ({@code tls}, per site) redirect to it on {@code httpsPort}. */
    public static Handler redirecting(Handler next, HostTable hosts, boolean[] tls, int httpsPort) {
        return new HttpsSites(next, hosts, tls, false, httpsPort, 0);
    }

    /** An HTTPS listener: the sites with {@code hsts} add the field with this max-age (seconds). */
    public static Handler overTls(Handler next, HostTable hosts, boolean[] hsts, long maxAge) {
        return new HttpsSites(next, hosts, hsts, true, 0, maxAge);
    }

    @Override public Response handle(Request request) {
        boolean site = marked[hosts.select(request.host())];
        if (secure) {
            Response r = next.handle(request);
            if (site && r != null) r.headers().set("Strict-Transport-Security", hsts);
            return r;
        }
        if (!site || request.path().startsWith(ACME_CHALLENGE) || request.host() == null) return next.handle(request);
        return Response.of(Status.PERMANENT_REDIRECT, new Headers(2).set("Location", location(request)));
    }

    @Override public Response errorPage(Status status) { return next.errorPage(status); }

    /** The same target on the HTTPS port: {@code https://host[:port]/path?query}. */
    private String location(Request request) {
        String name = HostTable.hostName(request.host());
        String target = request.target().startsWith("/") ? request.target()
                : request.path() + (request.query() == null ? "" : "?" + request.query());
        return "https://" + name + (httpsPort == 443 ? "" : ":" + httpsPort) + target;
    }
}
