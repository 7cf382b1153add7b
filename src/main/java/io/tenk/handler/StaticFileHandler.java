package io.tenk.handler;

import io.tenk.files.AcceptEncoding;
import io.tenk.files.ByteRanges;
import io.tenk.files.ContentCoding;
import io.tenk.files.DirectoryListing;
import io.tenk.files.GzipCache;
import io.tenk.files.ListingCache;
import io.tenk.files.MimeTypes;
import io.tenk.files.Multipart;
import io.tenk.files.OpenFileCache;
import io.tenk.files.PathResolver;
import io.tenk.files.Preconditions;
import io.tenk.files.Representation;
import io.tenk.files.Resolution;
import io.tenk.files.Validators;
import io.tenk.http.Body;
import io.tenk.http.Headers;
import io.tenk.http.Method;
import io.tenk.http.Request;
import io.tenk.http.Response;
import io.tenk.http.Status;

import java.nio.file.Path;

/**
 * Serves files under a document root for GET and HEAD; declines every other method (another
 * handler answers 405/501/OPTIONS). The steps, in this order (each one its own method):
 * <ol>
 *   <li><b>resolve</b> the path ({@link OpenFileCache} over {@link PathResolver}): 400, 404 or
 *       403 when it cannot be served; with {@code spa}, a missing path without a file extension
 *       gets {@code /index.html} with 200, whatever {@code Accept} says;</li>
 *   <li><b>directory</b>: asked for without a trailing '/' → 301 to its canonical path (query
 *       kept); with one → its index file, else its listing (HTML, or JSON for
 *       {@code Accept: application/json}) when listings are on, else 404; a listing is one
 *       rendering shared by every reader ({@link ListingCache});</li>
 *   <li><b>representation</b> (compression): a precompressed sibling ({@code .br}, {@code .zst},
 *       {@code .gz}, not older than the file) the client accepts, else the file gzipped on the
 *       fly ({@link GzipCache}), else the file as it is; {@code Vary: Accept-Encoding} whenever
 *       the answer could differ;</li>
 *   <li><b>validators</b> of that representation: Content-Type (of the file), Last-Modified,
 *       ETag (one per encoding), Accept-Ranges, Cache-Control;</li>
 *   <li><b>preconditions</b> ({@link Preconditions}) → 412 or 304;</li>
 *   <li><b>ranges</b> ({@link ByteRanges}) over the representation's bytes → 200, 206 with one
 *       region or a multipart body, or 416.</li>
 * </ol>
 * HEAD is answered exactly as GET (the protocol layer drops the body). Large files are never
 * read: the body is a {@link Body.FileRegion} of the real path for the transport to send, which
 * opens it beneath the root as a regular file ({@link io.tenk.files.FileOpener}); small
 * files may come from the open-file cache as bytes. Content-Type comes from the real file name,
 * so a symlink is typed by its target.
 */
public final class StaticFileHandler implements Handler {

    private final SiteOptions site;
    private final OpenFileCache files;
    private final GzipCache gzip;
    private final ListingCache listings;
    private final RepresentationFields okFields = new RepresentationFields();
    private final String maxAge; // the Cache-Control of files other than HTML

    /** The plain file server over {@code root} ({@link SiteOptions#bare}). */
    public StaticFileHandler(Path root) { this(SiteOptions.bare(root)); }

    /** Every feature as the options say, with no open-file cache, no on-the-fly gzip and no kept listings. */
    public StaticFileHandler(SiteOptions site) {
        this(site, OpenFileCache.disabled(new PathResolver(site.root())), null, ListingCache.disabled());
    }

    /**
     * @param files    the site's open-file cache (or a disabled one), over a resolver of {@code site.root()}
     * @param gzip     on-the-fly gzip, or null for none (precompressed siblings are still used)
     * @param listings rendered listings (shared by every site)
     */
    public StaticFileHandler(SiteOptions site, OpenFileCache files, GzipCache gzip, ListingCache listings) {
        this.site = site;
        this.files = files;
        this.gzip = gzip;
        this.listings = listings;
        this.maxAge = site.maxAgeSeconds() < 0 ? null
                : site.maxAgeSeconds() == 0 ? "no-cache" : "max-age=" + site.maxAgeSeconds();
    }

    @Override public Response handle(Request request) {
        if (request.method() != Method.GET && request.method() != Method.HEAD) return null;
        String path = request.path();
        return switch (files.resolve(path)) {
            case Resolution.Invalid _ -> ErrorPages.of(Status.BAD_REQUEST);
            case Resolution.NotFound _ -> notFound(request);
            case Resolution.Forbidden _ -> ErrorPages.of(Status.FORBIDDEN);
            case Resolution.File f -> serve(request, f, files.content(path, f));
            case Resolution.Directory d -> path.endsWith("/") ? index(request, d) : redirect(request, d);
        };
    }

    // ---- 1. resolve ----

    /**
     * With {@code spa}, a missing path whose last segment has no extension gets the app whatever
     * {@code Accept} says (so the answer never varies with it); a missing asset stays a 404.
     */
    private Response notFound(Request request) {
        if (site.spa() && !hasExtension(request.path())) {
            String index = "/" + (site.indexFiles().isEmpty() ? "index.html" : site.indexFiles().getFirst());
            if (files.resolve(index) instanceof Resolution.File f) return serve(request, f, files.content(index, f));
        }
        return ErrorPages.of(Status.NOT_FOUND);
    }

    /** Whether the last segment of {@code path} has a file extension ({@code /app.js}; not {@code /users/42}, {@code /.well-known}). */
    static boolean hasExtension(String path) {
        int slash = path.lastIndexOf('/');
        int dot = path.lastIndexOf('.');
        return dot > slash + 1 && dot < path.length() - 1;
    }

    /** Whether an Accept field names this media type (exactly, with a q above 0). */
    static boolean accepts(Request request, String type) {
        for (String field : request.headers().all("Accept")) {
            for (String element : field.split(",")) {
                String[] parts = element.split(";");
                if (!parts[0].strip().equalsIgnoreCase(type)) continue;
                boolean refused = false;
                for (int i = 1; i < parts.length; i++) {
                    String p = parts[i].strip().replace(" ", "");
                    if (p.matches("(?i)q=0(\\.0*)?")) refused = true;
                }
                if (!refused) return true;
            }
        }
        return false;
    }

    // ---- 2. directory ----

    private Response redirect(Request request, Resolution.Directory d) {
        // canonicalPath starts and ends with '/', its segments are non-empty and percent-encoded:
        // the Location can be neither "//host" nor hold a '\'.
        String location = d.canonicalPath();
        if (request.query() != null) location += "?" + request.query();
        Headers h = new Headers(2).set("Location", location);
        return Response.of(Status.MOVED_PERMANENTLY, h);
    }

    private Response index(Request request, Resolution.Directory d) {
        for (String name : site.indexFiles()) {
            Resolution r = files.child(d, name);
            if (r instanceof Resolution.File f) return serve(request, f, files.childContent(d, name, f));
            if (r instanceof Resolution.Forbidden) return ErrorPages.of(Status.FORBIDDEN);
        }
        return site.listing() ? listing(request, d) : ErrorPages.of(Status.NOT_FOUND);
    }

    private Response listing(Request request, Resolution.Directory d) {
        boolean json = accepts(request, "application/json") && !accepts(request, "text/html");
        byte[] page = listings.render(files.resolver(), d, json);
        if (page == null) return ErrorPages.of(Status.FORBIDDEN);
        Headers h = new Headers(6).set("Cache-Control", "no-cache").set("Vary", "Accept");
        if (json) {
            h.set("Content-Type", "application/json; charset=utf-8");
        } else {
            h.set("Content-Type", "text/html; charset=utf-8");
            h.set("Content-Security-Policy", DirectoryListing.CONTENT_SECURITY_POLICY);
            h.set("X-Content-Type-Options", "nosniff");
        }
        return new Response(Status.OK, h, Body.of(page));
    }

    // ---- 3. representation (compression) ----

    /**
     * What to send for this request: a sibling, a gzip made here, or the file itself. The
     * codings are tried best first, and a sibling is looked up only for a coding the client
     * wants more than any found so far.
     */
    private Representation choose(Request request, Resolution.File f, byte[] content) {
        boolean compressible = f.compressible();
        if (!site.compression()) return Representation.identity(f, content);
        AcceptEncoding ae = acceptEncoding(request);
        if (ae == null) return Representation.identity(f, content);

        int pick = -1;
        Resolution.File pickFile = null;
        int best = 0;
        OpenFileCache.Siblings siblings = null; // every coding's at once, from the cache, when first needed
        for (int i = 0; i < CODINGS.length; i++) { // in order of preference: a tie keeps the earlier one
            ContentCoding c = CODINGS[i];
            int w = ae.weight(c);
            if (w <= best) continue;
            if (siblings == null && files.enabled()) siblings = files.siblings(f);
            Resolution sibling = siblings != null ? siblings.get(i) : files.resolver().sibling(f, c.suffix());
            if (sibling instanceof Resolution.File s && s.lastModifiedMillis() >= f.lastModifiedMillis()) {
                pick = i;
                pickFile = s;
                best = w;
            }
        }
        if (pick >= 0 && best >= ae.identityWeight()) {
            return siblings != null ? siblings.representation(pick) : Representation.sibling(CODINGS[pick], pickFile);
        }
        if (compressible && gzip != null && gzip.eligible(f.size()) && ae.prefers(ContentCoding.GZIP)) {
            Representation gz = gzip.encoded(f, content);
            if (gz != null) return gz;
        }
        return Representation.identity(f, content);
    }

    private static final ContentCoding[] CODINGS = ContentCoding.PREFERRED.toArray(new ContentCoding[0]);

    /** The request's Accept-Encoding, or null when it has none. */
    private static AcceptEncoding acceptEncoding(Request request) {
        Headers headers = request.headers();
        return switch (headers.count("Accept-Encoding")) {
            case 0 -> null;
            case 1 -> AcceptEncoding.parse(request.header("Accept-Encoding"));
            default -> AcceptEncoding.parse(headers.all("Accept-Encoding"));
        };
    }

    // ---- 4–6. validators, preconditions, ranges ----

    private Response serve(Request request, Resolution.File f, byte[] content) {
        String type = f.contentType();
        Representation rep = choose(request, f, content);
        // the answer could differ with Accept-Encoding: a compressible file, or a coded sibling chosen
        boolean vary = site.compression() && (f.compressible() || rep.coding() != null);
        String etag = rep.etag();
        long modified = Validators.seconds(rep.lastModifiedMillis());
        String lastModified = rep.lastModified();
        String cacheControl = cacheControl(type);

        switch (Preconditions.evaluate(request.method(), request.headers(), etag, modified)) {
            case PRECONDITION_FAILED -> { return ErrorPages.of(Status.PRECONDITION_FAILED); }
            case NOT_MODIFIED -> {
                Headers h = new Headers(4);
                if (vary) h.add("Vary", "Accept-Encoding");
                h.add("ETag", etag).add("Last-Modified", lastModified);
                if (cacheControl != null) h.add("Cache-Control", cacheControl);
                return Response.of(Status.NOT_MODIFIED, h);
            }
            case PROCEED -> { }
        }

        // made once per representation while the open-file cache keeps it; a range adds to a copy
        Headers h = files.enabled() ? okFields.of(rep, type, vary, cacheControl)
                : RepresentationFields.make(rep, type, vary, cacheControl);
        long size = rep.size();
        // A Range sent as several field lines is not a valid single range-set: ignore it.
        String range = request.headers().count("Range") == 1 ? request.header("Range") : null;
        return switch (ByteRanges.evaluate(range, request.header("If-Range"), etag, modified, size)) {
            case ByteRanges.Full _ -> new Response(Status.OK, h, body(rep, 0, size));
            case ByteRanges.Unsatisfiable _ ->
                    ErrorPages.of(Status.RANGE_NOT_SATISFIABLE, new Headers(2).set("Content-Range", "bytes */" + size));
            case ByteRanges.Partial p when p.ranges().size() == 1 -> {
                ByteRanges.Range one = p.ranges().getFirst();
                h.add("Content-Range", one.contentRange(size));
                yield new Response(Status.PARTIAL_CONTENT, h, body(rep, one.first(), one.length()));
            }
            case ByteRanges.Partial p -> {
                Multipart m = Multipart.byteRanges((offset, n) -> body(rep, offset, n), type, p.ranges(), size);
                h.set("Content-Type", m.contentType());
                yield new Response(Status.PARTIAL_CONTENT, h, m.body());
            }
        };
    }

    /**
     * {@code length} bytes of the representation from {@code offset}. A region of a file says the
     * size and time this lookup saw, so that the file's descriptor may be kept open for the next
     * response ({@code conn/SharedFiles}); with the open-file cache off nothing is kept: the
     * region is opened for itself.
     */
    private Body body(Representation rep, long offset, long length) {
        Body b = rep.slice(offset, length);
        if (!files.enabled() && b instanceof Body.FileRegion r) return new Body.FileRegion(r.root(), r.path(), r.offset(), r.length());
        return b;
    }

    /**
     * HTML always revalidates ({@code no-cache}: the browser asks each time, and the ETag makes
     * the answer a 304); other files get the site's max-age, or revalidate too when it is 0.
     */
    private String cacheControl(String type) {
        if (maxAge == null) return null;
        return type.startsWith("text/html") ? "no-cache" : maxAge;
    }
}
