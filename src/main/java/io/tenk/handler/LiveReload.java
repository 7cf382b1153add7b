package io.tenk.handler;

import io.tenk.http.Body;
import io.tenk.http.Headers;
import io.tenk.http.Method;
import io.tenk.http.Request;
import io.tenk.http.Response;
import io.tenk.http.Status;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * Live reload ({@code --watch}), outermost in the chain: every HTML page gets a small script
 * before its last {@code </body>} that asks {@value #PATH} for the tree's version every
 * {@value #POLL_MILLIS} ms and reloads the page when it differs from the version the page was
 * served with.
 *
 * <p>Polling, not server-sent events: an exchange here is a request and a response of known
 * length written by the connection's loop; a response held open and fed later by the watcher
 * would need a new kind of body that suspends and a wake-up path into every model. A poll on
 * loopback costs a few microseconds, and a change shows within half a second.
 *
 * <p>The page with the script is another representation than the file: its ETag gets
 * {@value #ETAG_SUFFIX}, it has no Last-Modified, and conditional and range fields are dropped
 * from requests (removed from the request's fields before the chain sees them), so no copy cached
 * in one mode is taken for the other, and an edited page is always sent whole.
 */
public final class LiveReload implements Handler {
    /** The reserved path of the version endpoint (a dot segment: no file of a site can be served there). */
    public static final String PATH = "/.tenk/live";
    static final int POLL_MILLIS = 500;
    static final String ETAG_SUFFIX = "-live";
    /** How far from the end of a page its {@code </body>} is looked for. */
    private static final int TAIL = 4096;
    private static final List<String> DROPPED = List.of("If-None-Match", "If-Modified-Since", "Range", "If-Range");

    private final LongSupplier version;
    private final Handler next;

    public LiveReload(LongSupplier version, Handler next) {
        this.version = version;
        this.next = next;
    }

    /** The script injected into a page served at tree version {@code v}. */
    static String script(long v) {
        return "<script>/* tenk --watch: reloads this page when a file changes */(()=>{const v=" + v
                + ";const poll=()=>fetch('" + PATH + "',{cache:'no-store'}).then(r=>r.json())"
                + ".then(j=>{if(j.version!==v)location.reload();else setTimeout(poll," + POLL_MILLIS + ")})"
                + ".catch(()=>setTimeout(poll," + 2 * POLL_MILLIS + "));poll()})()</script>";
    }

    @Override public Response handle(Request request) {
        if (request.path().equals(PATH) && (request.method() == Method.GET || request.method() == Method.HEAD)) {
            Headers h = new Headers(2).set("Content-Type", "application/json").set("Cache-Control", "no-store");
            return new Response(Status.OK, h, Body.of(("{\"version\":" + version.getAsLong() + "}").getBytes(StandardCharsets.US_ASCII)));
        }
        long v = version.getAsLong(); // before the file is read: a change after it reloads the page
        for (String name : DROPPED) request.headers().remove(name);
        Response r = next.handle(request);
        if (r == null || r.status() != Status.OK) return r;
        String type = r.headers().get("Content-Type");
        if (type == null || !type.regionMatches(true, 0, "text/html", 0, 9) || r.headers().contains("Content-Encoding")) return r;
        Body injected = inject(r.body(), script(v).getBytes(StandardCharsets.US_ASCII));
        if (injected == null) return r;
        Headers h = r.headers();
        String etag = h.get("ETag");
        if (etag != null && etag.endsWith("\"")) h.set("ETag", etag.substring(0, etag.length() - 1) + ETAG_SUFFIX + "\"");
        h.remove("Last-Modified");
        h.remove("Accept-Ranges");
        return new Response(r.status(), h, injected);
    }

    /** The body with {@code script} before its last {@code </body>} (or at its end), or null when it cannot be changed. */
    static Body inject(Body body, byte[] script) {
        return switch (body) {
            case Body.Bytes b -> {
                int at = lastBodyTag(b.data(), 0, b.data().length);
                byte[] out = new byte[b.data().length + script.length];
                System.arraycopy(b.data(), 0, out, 0, at);
                System.arraycopy(script, 0, out, at, script.length);
                System.arraycopy(b.data(), at, out, at + script.length, b.data().length - at);
                yield Body.of(out);
            }
            case Body.FileRegion f -> {
                int tailLen = (int) Math.min(TAIL, f.length());
                byte[] tail = new byte[tailLen];
                if (!Files.isRegularFile(f.path(), LinkOption.NOFOLLOW_LINKS)) yield null; // swapped since the check
                try (RandomAccessFile file = new RandomAccessFile(f.path().toFile(), "r")) {
                    file.seek(f.offset() + f.length() - tailLen);
                    file.readFully(tail);
                } catch (IOException e) {
                    yield null; // changed under us: sent as it is; the next change reloads it anyway
                }
                long at = f.length() - tailLen + lastBodyTag(tail, 0, tailLen);
                yield new Body.Parts(List.of(f.part(f.offset(), at), Body.of(script),
                        f.part(f.offset() + at, f.length() - at)));
            }
            default -> null;
        };
    }

    /** Where the last {@code </body>} (any case) starts in {@code b[from, to)}, else {@code to}. */
    static int lastBodyTag(byte[] b, int from, int to) {
        byte[] tag = "</body".getBytes(StandardCharsets.US_ASCII);
        for (int i = to - tag.length; i >= from; i--) {
            int k = 0;
            while (k < tag.length && Character.toLowerCase(b[i + k]) == tag[k]) k++;
            if (k == tag.length) return i;
        }
        return to;
    }
}
