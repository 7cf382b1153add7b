package io.tenk.handler;

import io.tenk.http.Request;
import io.tenk.http.Response;
import io.tenk.http.Status;

import java.util.List;

/**
 * Adds the site's configured fields ({@code -H "Name: value"}, e.g. COOP/COEP for WebAssembly
 * threads) to every response, error pages included; a field the server set under the same name
 * (such as Cache-Control) is replaced. The fields were checked when the options were made.
 */
public final class ResponseHeaders implements Handler {
    private final List<SiteOptions.HeaderField> fields;
    private final Handler next;

    public ResponseHeaders(List<SiteOptions.HeaderField> fields, Handler next) {
        this.fields = List.copyOf(fields);
        this.next = next;
    }

    @Override public Response handle(Request request) {
        return add(next.handle(request));
    }

    @Override public Response errorPage(Status status) { return add(next.errorPage(status)); }

    private Response add(Response r) {
        if (r == null) return null;
        for (SiteOptions.HeaderField f : fields) r.headers().set(f.name(), f.value());
        return r;
    }
}
