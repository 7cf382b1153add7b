package io.tenk.handler;

import io.tenk.files.ByteRanges;
import io.tenk.files.MimeTypes;
import io.tenk.files.Multipart;
import io.tenk.files.PathResolver;
import io.tenk.files.Preconditions;
import io.tenk.files.Resolution;
import io.tenk.files.Validators;
import io.tenk.http.Body;
import io.tenk.http.Headers;
import io.tenk.http.Method;
import io.tenk.http.Request;
import io.tenk.http.Response;
import io.tenk.http.Status;

import java.nio.file.Path;
import java.util.List;

/**
 * Serves files under a document root for GET and HEAD; declines every other method (another
 * handler answers 405/501/OPTIONS). The steps, in this order:
 * <ol>
 *   <li>resolve the path ({@link PathResolver}): 400, 404 or 403 when it cannot be served;</li>
 *   <li>a directory asked for without a trailing '/' → 301 to its canonical path (query kept);
 *       with one → its index file if there is one, else 404 (no listings yet);</li>
 *   <li>validators from the stat: Content-Type, Last-Modified, ETag, Accept-Ranges;</li>
 *   <li>preconditions ({@link Preconditions}) → 412 or 304;</li>
 *   <li>ranges ({@link ByteRanges}) → 200 with the whole file, 206 with one region or a
 *       multipart body, or 416.</li>
 * </ol>
 * HEAD is answered exactly as GET, Range included (the protocol layer drops the body). One
 * resolve and one stat per request (two for a directory's index); file content is never read:
 * the body is a {@link Body.FileRegion} of the file's real path for the transport to open and
 * send ({@link Body#EMPTY} for an empty file). Content-Type comes from the real file name, so a
 * symlink is typed by its target.
 */
public final class StaticFileHandler implements Handler {

    /**
     * @param root       the document root, an existing directory
     * @param indexFiles names tried, in order, for a request naming a directory (plain names:
     *                   no '/', not starting with '.')
     */
    public record Options(Path root, List<String> indexFiles) {
        public static final List<String> DEFAULT_INDEX = List.of("index.html");

        public Options {
            indexFiles = List.copyOf(indexFiles);
            for (String name : indexFiles) {
                if (name.isEmpty() || name.startsWith(".") || name.indexOf('/') >= 0 || name.indexOf('\\') >= 0) {
                    throw new IllegalArgumentException("bad index file name: " + name);
                }
            }
        }

        public Options(Path root) { this(root, DEFAULT_INDEX); }
    }

    private final PathResolver resolver;
    private final List<String> indexFiles;

    public StaticFileHandler(Path root) { this(new Options(root)); }

    public StaticFileHandler(Options options) {
        this.resolver = new PathResolver(options.root());
        this.indexFiles = options.indexFiles();
    }

    @Override public Response handle(Request request) {
        if (request.method() != Method.GET && request.method() != Method.HEAD) return null;
        String path = request.path();
        return switch (resolver.resolve(path)) {
            case Resolution.Invalid _ -> ErrorPages.of(Status.BAD_REQUEST);
            case Resolution.NotFound _ -> ErrorPages.of(Status.NOT_FOUND);
            case Resolution.Forbidden _ -> ErrorPages.of(Status.FORBIDDEN);
            case Resolution.File f -> serve(request, f);
            case Resolution.Directory d -> path.endsWith("/") ? index(request, d) : redirect(request, d);
        };
    }

    private Response redirect(Request request, Resolution.Directory d) {
        // canonicalPath starts and ends with '/', its segments are non-empty and percent-encoded:
        // the Location can be neither "//host" nor hold a '\'.
        String location = d.canonicalPath();
        if (request.query() != null) location += "?" + request.query();
        Headers h = new Headers(2).set("Location", location);
        return Response.of(Status.MOVED_PERMANENTLY, h);
    }

    private Response index(Request request, Resolution.Directory d) {
        for (String name : indexFiles) {
            Resolution r = resolver.child(d, name);
            if (r instanceof Resolution.File f) return serve(request, f);
            if (r instanceof Resolution.Forbidden) return ErrorPages.of(Status.FORBIDDEN);
        }
        return ErrorPages.of(Status.NOT_FOUND);
    }

    private static Response serve(Request request, Resolution.File f) {
        long size = f.size();
        String etag = Validators.etag(size, f.lastModifiedMillis());
        long modified = Validators.seconds(f.lastModifiedMillis());
        String lastModified = Validators.lastModified(f.lastModifiedMillis());

        switch (Preconditions.evaluate(request.method(), request.headers(), etag, modified)) {
            case PRECONDITION_FAILED -> { return ErrorPages.of(Status.PRECONDITION_FAILED); }
            case NOT_MODIFIED -> {
                Headers h = new Headers(2).set("ETag", etag).set("Last-Modified", lastModified);
                return Response.of(Status.NOT_MODIFIED, h);
            }
            case PROCEED -> { }
        }

        String type = MimeTypes.forName(f.realPath().getFileName().toString());
        Headers h = new Headers(6)
                .set("Content-Type", type)
                .set("Last-Modified", lastModified)
                .set("ETag", etag)
                .set("Accept-Ranges", "bytes");
        // A Range sent as several field lines is not a valid single range-set: ignore it.
        String range = request.headers().count("Range") == 1 ? request.header("Range") : null;
        return switch (ByteRanges.evaluate(range, request.header("If-Range"), etag, modified, size)) {
            case ByteRanges.Full _ -> new Response(Status.OK, h, region(f, 0, size));
            case ByteRanges.Unsatisfiable _ ->
                    ErrorPages.of(Status.RANGE_NOT_SATISFIABLE, new Headers(2).set("Content-Range", "bytes */" + size));
            case ByteRanges.Partial p when p.ranges().size() == 1 -> {
                ByteRanges.Range one = p.ranges().getFirst();
                h.set("Content-Range", one.contentRange(size));
                yield new Response(Status.PARTIAL_CONTENT, h, region(f, one.first(), one.length()));
            }
            case ByteRanges.Partial p -> {
                Multipart m = Multipart.byteRanges(f.realPath(), type, p.ranges(), size);
                h.set("Content-Type", m.contentType());
                yield new Response(Status.PARTIAL_CONTENT, h, m.body());
            }
        };
    }

    private static Body region(Resolution.File f, long offset, long length) {
        return length == 0 ? Body.EMPTY : new Body.FileRegion(f.realPath(), offset, length);
    }
}
