package io.tenk.server;

import io.tenk.support.Chromium;
import io.tenk.support.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code --watch} in a real browser: headless Chromium shows a page, the file is edited, and the
 * page's DOM shows the edit within a second, without anyone reloading it. The test reads the DOM
 * through the DevTools protocol (a WebSocket, from the JDK's own client). Skipped where Chromium
 * is not installed, except in CI.
 */
@org.junit.jupiter.api.parallel.Isolated // bounds a latency
class LiveReloadChromiumTest {
    @TempDir Path root;
    @TempDir Path profile;

    @Test void anEditShowsInTheOpenPageWithinASecond() throws Exception {
        Path browser = Chromium.require();
        Path page = root.resolve("index.html");
        Files.writeString(page, "<!doctype html><html><body><p id=t>first</p></body></html>");
        try (TestServer server = TestServer.start(TestServer.config(root).with(b -> b.liveReload(true).accessLog(false)))) {
            String url = server.uri("/").toString();
            Process p = new ProcessBuilder(browser.toString(), "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                    "--disable-background-networking", "--disable-component-update", "--disable-sync",
                    "--remote-debugging-port=0", "--remote-allow-origins=*", "--user-data-dir=" + profile, url)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            try {
                HttpClient http = HttpClient.newHttpClient();
                String devtools = devtoolsPort(p);
                String ws = pageSocket(http, devtools, url);
                Dom dom = new Dom(http, ws);
                awaitText(dom, "first", 30_000);
                long t0 = System.nanoTime();
                Files.writeString(page, "<!doctype html><html><body><p id=t>second</p></body></html>");
                awaitText(dom, "second", 5_000);
                long ms = (System.nanoTime() - t0) / 1_000_000;
                assertTrue(ms <= 1000, "the edit showed after " + ms + " ms");
            } finally {
                // the browser's helpers (renderer, network service) write into the profile too: all of
                // them are gone before the profile's directory is deleted
                List<ProcessHandle> helpers = p.descendants().toList();
                p.destroyForcibly();
                helpers.forEach(ProcessHandle::destroyForcibly);
                p.waitFor(10, TimeUnit.SECONDS);
                for (ProcessHandle h : helpers) h.onExit().get(10, TimeUnit.SECONDS);
            }
        }
    }

    /** Chromium says on stderr where its DevTools listen: {@code DevTools listening on ws://127.0.0.1:PORT/...}. */
    private static String devtoolsPort(Process p) throws Exception {
        CompletableFuture<String> port = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8))) {
                Pattern ws = Pattern.compile("DevTools listening on ws://127\\.0\\.0\\.1:(\\d+)/");
                for (String l; (l = r.readLine()) != null; ) {
                    Matcher m = ws.matcher(l);
                    if (m.find()) port.complete(m.group(1));
                }
            } catch (Exception e) {
                port.completeExceptionally(e);
            }
            port.completeExceptionally(new AssertionError("chromium ended without DevTools"));
        });
        return port.get(60, TimeUnit.SECONDS);
    }

    /** The WebSocket of the tab showing {@code url}, from {@code /json/list}. */
    private static String pageSocket(HttpClient http, String port, String url) throws Exception {
        long deadline = System.nanoTime() + 30_000_000_000L;
        Pattern target = Pattern.compile("\"url\":\\s*\"" + Pattern.quote(url) + "\"[^}]*?\"webSocketDebuggerUrl\":\\s*\"(ws://[^\"]+)\""
                + "|\"webSocketDebuggerUrl\":\\s*\"(ws://[^\"]+)\"[^}]*?\"url\":\\s*\"" + Pattern.quote(url) + "\"", Pattern.DOTALL);
        while (System.nanoTime() < deadline) {
            String list = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/json/list")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            Matcher m = target.matcher(list);
            if (m.find()) return m.group(1) != null ? m.group(1) : m.group(2);
            Thread.sleep(50);
        }
        throw new AssertionError("no tab showing " + url);
    }

    private static void awaitText(Dom dom, String text, long millis) throws Exception {
        long deadline = System.nanoTime() + millis * 1_000_000;
        String seen = "";
        while (System.nanoTime() < deadline) {
            seen = dom.text();
            if (seen.contains(text)) return;
            Thread.sleep(10);
        }
        throw new AssertionError("the page never showed '" + text + "' (it showed '" + seen + "')");
    }

    /** Runtime.evaluate over the DevTools protocol: the text of the page's body. */
    static final class Dom implements WebSocket.Listener {
        private final WebSocket socket;
        private final StringBuilder partial = new StringBuilder();
        private CompletableFuture<String> reply;
        private int id;

        Dom(HttpClient http, String ws) throws Exception {
            socket = http.newWebSocketBuilder().buildAsync(URI.create(ws), this).get(30, TimeUnit.SECONDS);
        }

        synchronized CompletableFuture<String> ask(String expression) {
            reply = new CompletableFuture<>();
            socket.sendText("{\"id\":" + (++id) + ",\"method\":\"Runtime.evaluate\",\"params\":{\"expression\":\""
                    + expression + "\",\"returnByValue\":true}}", true);
            return reply;
        }

        String text() throws Exception {
            String json = ask("document.body ? document.body.innerText : ''").get(10, TimeUnit.SECONDS);
            Matcher m = Pattern.compile("\"value\":\"((?:[^\"\\\\]|\\\\.)*)\"").matcher(json);
            return m.find() ? m.group(1) : ""; // during a reload the page may have no result yet
        }

        @Override public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                String msg = partial.toString();
                partial.setLength(0);
                synchronized (this) {
                    if (msg.contains("\"id\":" + id + ",") && reply != null) reply.complete(msg);
                }
            }
            ws.request(1);
            return null;
        }
    }
}
