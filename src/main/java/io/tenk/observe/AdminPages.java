package io.tenk.observe;

import io.tenk.handler.ErrorPages;
import io.tenk.http.Body;
import io.tenk.http.Headers;
import io.tenk.http.Method;
import io.tenk.http.Request;
import io.tenk.http.Response;
import io.tenk.http.Status;

import java.nio.charset.StandardCharsets;

/**
 * What the admin listener answers: {@code GET} or {@code HEAD} of {@code /metrics} (the
 * Prometheus text), {@code /healthz} (200 while the process answers) and {@code /readyz} (200
 * when it takes traffic, else 503 with the reason); 404 for any other path and 405 for any other
 * method. Never a site's file.
 */
public final class AdminPages {
    private final Health health;
    private final MetricsText metrics;

    public AdminPages(Health health, MetricsText metrics) {
        this.health = health;
        this.metrics = metrics;
    }

    public Response answer(Request req) {
        String path = req.path();
        boolean known = path.equals("/metrics") || path.equals("/healthz") || path.equals("/readyz");
        if (!known) return ErrorPages.of(Status.NOT_FOUND);
        if (req.method() != Method.GET && req.method() != Method.HEAD) {
            return ErrorPages.of(Status.METHOD_NOT_ALLOWED, new Headers(4).set("Allow", "GET, HEAD"));
        }
        return switch (path) {
            case "/metrics" -> text(Status.OK, MetricsText.CONTENT_TYPE, metrics.render());
            case "/healthz" -> text(Status.OK, "text/plain; charset=utf-8", "ok\n");
            default -> health.ready() ? text(Status.OK, "text/plain; charset=utf-8", "ready\n")
                    : text(Status.SERVICE_UNAVAILABLE, "text/plain; charset=utf-8", health.reason() + "\n");
        };
    }

    private static Response text(Status status, String type, String body) {
        Headers h = new Headers(4).set("Content-Type", type).set("Cache-Control", "no-store");
        return new Response(status, h, new Body.Bytes(body.getBytes(StandardCharsets.UTF_8)));
    }
}
