package io.tenk.model;

import io.tenk.support.Await;
import io.tenk.support.ChildJvm;
import io.tenk.support.JvmStarts;
import io.tenk.support.Promtool;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The metrics of {@code prefork}, whose workers serve and count while the master keeps the admin
 * listener: a scrape of the master asks every worker and adds their counts up, shows a few
 * series per worker, passes {@code promtool}, and its totals never go down when a worker is
 * killed and replaced (the master keeps what the old one had reported).
 */
class PreforkMetricsTest {
    @TempDir Path root;
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test void theMasterAddsUpItsWorkersCounts() throws Exception {
        Files.writeString(root.resolve("index.html"), "prefork metrics\n");
        List<String> cmd = new ArrayList<>(ChildJvm.command(List.of()));
        cmd.addAll(List.of("--model", "prefork", "--workers", "2", "-q", "-p", "0", "--admin", "127.0.0.1:0", "-d", root.toString()));
        JvmStarts.Started started = JvmStarts.process(new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT));
        Process master = started.process();
        try {
            Matcher m = Pattern.compile("on (http://127\\.0\\.0\\.1:\\d+/) \\(model prefork, admin on (http://127\\.0\\.0\\.1:\\d+/)\\)")
                    .matcher(String.valueOf(started.first()));
            assertTrue(m.find(), "the master names both addresses: " + started.first());
            String site = m.group(1), admin = m.group(2);
            Thread.ofPlatform().daemon().start(() -> started.out().lines().forEach(l -> { }));
            for (int i = 0; i < 20; i++) assertEquals(200, get(site).statusCode());
            assertEquals(404, get(site + "missing").statusCode());

            String text = get(admin + "metrics").body();
            assertEquals(20, value(text, "tenk_http_requests_total{method=\"GET\",code=\"2xx\"}"), text);
            assertEquals(1, value(text, "tenk_http_requests_total{method=\"GET\",code=\"4xx\"}"), text);
            assertEquals(21, value(text, "tenk_http_request_duration_seconds_count"), text);
            assertEquals(2, value(text, "tenk_workers"), text);
            assertEquals(21, value(text, "tenk_worker_requests_total{worker=\"1\"}") + value(text, "tenk_worker_requests_total{worker=\"2\"}"), text);
            Promtool.check(text);

            // a worker killed: its replacement starts from zero, the master's totals keep what it had counted
            Set<Long> before = master.children().map(ProcessHandle::pid).collect(Collectors.toSet());
            long victim = before.iterator().next();
            assertEquals(0, new ProcessBuilder("kill", "-KILL", Long.toString(victim)).start().waitFor());
            Await.until(() -> {
                Set<Long> now = master.children().filter(ProcessHandle::isAlive).map(ProcessHandle::pid).collect(Collectors.toSet());
                return now.size() == 2 && !now.contains(victim);
            }, Duration.ofSeconds(60), "a new worker replaces the killed one");
            Await.until(() -> value(get(admin + "metrics").body(), "tenk_workers") == 2, Duration.ofSeconds(60), "both workers answer the master");
            for (int i = 0; i < 5; i++) assertEquals(200, get(site).statusCode());
            String after = get(admin + "metrics").body();
            assertEquals(25, value(after, "tenk_http_requests_total{method=\"GET\",code=\"2xx\"}"), after);
        } finally {
            List<ProcessHandle> kids = master.descendants().toList();
            master.destroyForcibly();
            kids.forEach(ProcessHandle::destroyForcibly);
        }
    }

    private HttpResponse<String> get(String url) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A sample's value, 0 when absent. */
    static double value(String text, String series) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\S+)$").matcher(text);
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }
}
