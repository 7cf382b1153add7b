package io.tenk.handler;

import io.tenk.http.Body;
import io.tenk.http.Headers;
import io.tenk.http.Response;
import io.tenk.http.Status;

import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.Map;

/**
 * The one place that turns a failure status into a response: a small HTML page that names the
 * status and nothing else (no paths, no class names, no stack traces).
 */
public final class ErrorPages {
    private static final Map<Status, byte[]> PAGES = new EnumMap<>(Status.class);

    static {
        for (Status s : Status.values()) {
            if (s.isError()) PAGES.put(s, page(s));
        }
    }

    private ErrorPages() {}

    private static byte[] page(Status s) {
        String html = "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>" + s.code() + " " + s.reason()
                + "</title></head>\n<body><h1>" + s.code() + " " + s.reason() + "</h1></body></html>\n";
        return html.getBytes(StandardCharsets.UTF_8);
    }

    /** Whether the response carries the standard page of its status (so a site may put its own instead). */
    public static boolean isStandard(Response r) {
        return r.body() instanceof Body.Bytes b && b.data() == PAGES.get(r.status());
    }

    /** The standard page for an error status. */
    public static Response of(Status status) {
        return of(status, new Headers(4));
    }

    /** The standard page for an error status, with extra fields set by the caller (e.g. Allow). */
    public static Response of(Status status, Headers headers) {
        byte[] body = PAGES.get(status);
        if (body == null) throw new IllegalArgumentException("not an error status: " + status);
        headers.set("Content-Type", "text/html; charset=utf-8");
        return new Response(status, headers, new Body.Bytes(body));
    }
}
