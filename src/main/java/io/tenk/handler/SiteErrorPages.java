package io.tenk.handler;

import io.tenk.files.OpenFileCache;
import io.tenk.files.Representation;
import io.tenk.files.Resolution;
import io.tenk.http.Headers;
import io.tenk.http.Request;
import io.tenk.http.Response;
import io.tenk.http.Status;

/**
 * The site's own error pages: when a response is the standard page for 403, 404 or 500, and the
 * root holds {@code 403.html}, {@code 404.html} or {@code 500.html} (found as any file is, so
 * never a dotfile or outside the root), that file is sent instead, with the error status and the
 * fields the response already had. Any other status, or a missing page, keeps the standard page.
 */
public final class SiteErrorPages implements Handler {
    private final OpenFileCache files;
    private final Handler next;

    public SiteErrorPages(OpenFileCache files, Handler next) {
        this.files = files;
        this.next = next;
    }

    @Override public Response handle(Request request) {
        Response r = next.handle(request);
        if (r == null) r = ErrorPages.of(Status.NOT_FOUND);
        return ErrorPages.isStandard(r) ? replace(r.status(), r.headers(), r) : r;
    }

    @Override public Response errorPage(Status status) {
        Response standard = next.errorPage(status);
        return replace(status, standard.headers(), standard);
    }

    private Response replace(Status status, Headers headers, Response standard) {
        if (status != Status.NOT_FOUND && status != Status.FORBIDDEN && status != Status.INTERNAL_SERVER_ERROR) return standard;
        String path = "/" + status.code() + ".html";
        if (!(files.resolve(path) instanceof Resolution.File f)) return standard;
        Representation page = Representation.identity(f, files.content(path, f));
        headers.set("Content-Type", "text/html; charset=utf-8");
        headers.set("Cache-Control", "no-cache");
        return new Response(status, headers, page.slice(0, page.size()));
    }
}
