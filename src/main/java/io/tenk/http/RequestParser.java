package io.tenk.http;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * A strict, resumable HTTP/1.1 request parser (RFC 9112, RFC 9110). One parser per connection,
 * fed whatever each read returned; it keeps only the bytes of an incomplete line between calls.
 *
 * <pre>
 *            ┌──────────────────────────── body done ─────────────────────────────┐
 *            ▼                                                                     │
 *   REQUEST_LINE ─► HEADER ─(empty line)─► HEAD_DONE ══ REQUEST returned ══►       │
 *                                              │ next parse()                      │
 *                    ┌─────────────────────────┼──────────────────────────┐        │
 *                    ▼ no body                 ▼ Content-Length           ▼ chunked│
 *              REQUEST_LINE               FIXED_BODY ──────────►   CHUNK_SIZE ◄──┐ │
 *                                                              size>0 │  │ 0     │ │
 *                                         CHUNK_DATA ◄────────────────┘  ▼       │ │
 *                                         CHUNK_DATA ─► CHUNK_CR ─► CHUNK_LF ────┘ │
 *                                                                     TRAILER ─────┘
 *   any state ─(invalid input)─► DEAD (every later call returns ERROR)
 * </pre>
 *
 * <p>A line is scanned once for its LF, bounded by what the limits still allow; a complete line
 * held whole in a heap buffer is parsed in place, otherwise its bytes are copied into a small line
 * buffer that grows only as needed (up to the limits). Body bytes are skipped, never copied.
 */
public final class RequestParser {

    /** The outcome of one {@link #parse} call. */
    public enum Result { NEED_MORE, REQUEST, ERROR }

    /** Empty lines (CRLF) tolerated before a request line (RFC 9112 §2.2). */
    static final int MAX_EMPTY_LINES = 4;
    /** Bytes allowed in a chunk-size line, extensions and CRLF included. */
    static final int MAX_CHUNK_LINE = 1024;
    /** A line buffer grown beyond this is dropped once its request is done. */
    private static final int KEEP_LINE_BUFFER = 256;

    private static final int REQUEST_LINE = 0, HEADER = 1, HEAD_DONE = 2, FIXED_BODY = 3,
            CHUNK_SIZE = 4, CHUNK_DATA = 5, CHUNK_CR = 6, CHUNK_LF = 7, TRAILER = 8, DEAD = 9;

    private final Limits limits;
    private RecentStrings strings = RecentStrings.NONE; // lent for the length of one parse()

    private int state = REQUEST_LINE;
    private boolean idle = true;
    private boolean lastWasRequest;
    private Status error;

    // the line being read
    private byte[] lineBuf;        // partial line bytes (lazily allocated)
    private int partial;           // bytes of the current line held in lineBuf
    private byte[] lineArr;        // where the complete line is: lineBuf or the input's array
    private int lineOff, lineLen;  // the complete line, CR included, LF excluded

    // the request head being parsed
    private int emptyLines;
    private int sectionBytes;      // header (or trailer) section bytes so far
    private int fieldCount;
    private Method method;
    private String methodToken, target, path, query, absoluteHost;
    private Version version;
    private Headers headers;        // the fields of the head being parsed
    private Headers spareFields;    // the list they were gathered in last time, empty, for the next head
    private Headers lastFields;     // the last request's fields, exactly, copied to the next that repeats them
    private Request request;
    private String rejectedLine;    // after ERROR: see rejectedLine()

    // the body being discarded
    private long remaining;        // bytes left in the fixed body or current chunk

    public RequestParser(Limits limits) {
        if (limits == null) throw new NullPointerException("limits");
        this.limits = limits;
    }

    /**
     * Consumes bytes from {@code in} (advancing its position) until a request head is complete
     * (REQUEST), the input is exhausted (NEED_MORE), or the input is invalid (ERROR). After
     * REQUEST, the next call first consumes and discards that request's body (Content-Length or
     * chunked), then parses the next pipelined request. Bytes after a complete head are left in
     * {@code in} unconsumed.
     */
    public Result parse(ByteBuffer in) {
        return parse(in, RecentStrings.NONE);
    }

    /**
     * As {@link #parse(ByteBuffer)}, taking the request's strings (its target, its field values)
     * from {@code strings} when the same bytes were parsed lately, by this connection or another
     * of the thread that lends it.
     */
    public Result parse(ByteBuffer in, RecentStrings strings) {
        this.strings = strings;
        try {
            return consume(in);
        } finally {
            this.strings = RecentStrings.NONE; // the lender's, not the connection's to keep
        }
    }

    private Result consume(ByteBuffer in) {
        if (state == DEAD) return Result.ERROR;
        lastWasRequest = false;
        if (state == HEAD_DONE) startBody();
        while (true) {
            switch (state) {
                case FIXED_BODY, CHUNK_DATA -> {
                    int n = (int) Math.min(in.remaining(), remaining);
                    if (n > 0) {
                        in.position(in.position() + n);
                        remaining -= n;
                        idle = false;
                    }
                    if (remaining > 0) return Result.NEED_MORE;
                    if (state == FIXED_BODY) bodyDone();
                    else state = CHUNK_CR;
                }
                case CHUNK_CR, CHUNK_LF -> {
                    if (!in.hasRemaining()) return Result.NEED_MORE;
                    byte b = in.get();
                    idle = false;
                    if (state == CHUNK_CR) {
                        if (b != '\r') return fail(Status.BAD_REQUEST);
                        state = CHUNK_LF;
                    } else {
                        if (b != '\n') return fail(Status.BAD_REQUEST);
                        state = CHUNK_SIZE;
                    }
                }
                default -> {
                    if (!in.hasRemaining()) return Result.NEED_MORE;
                    idle = false;
                    int allowance = switch (state) {
                        case REQUEST_LINE -> limits.maxRequestLine() + 2;
                        case CHUNK_SIZE -> MAX_CHUNK_LINE;
                        default -> limits.maxHeaderSection() - sectionBytes; // HEADER, TRAILER
                    };
                    int r = readLine(in, allowance);
                    if (r == MORE) return Result.NEED_MORE;
                    if (r == TOO_LONG) {
                        return fail(switch (state) {
                            case REQUEST_LINE -> Status.URI_TOO_LONG;
                            case CHUNK_SIZE -> Status.BAD_REQUEST;
                            default -> Status.REQUEST_HEADER_FIELDS_TOO_LARGE;
                        });
                    }
                    // a complete line: it must end in CRLF
                    if (lineLen == 0 || lineArr[lineOff + lineLen - 1] != '\r') return fail(Status.BAD_REQUEST);
                    int len = lineLen - 1;
                    Status s = switch (state) {
                        case REQUEST_LINE -> requestLine(lineArr, lineOff, len);
                        case HEADER -> headerLine(lineArr, lineOff, len);
                        case CHUNK_SIZE -> chunkSizeLine(lineArr, lineOff, len);
                        default -> trailerLine(lineArr, lineOff, len);
                    };
                    if (s != null) return fail(s); // fail() may still read the line (rejectedLine)
                    lineArr = null;
                    if (state == HEAD_DONE) {
                        lastWasRequest = true;
                        idle = true;
                        return Result.REQUEST;
                    }
                }
            }
        }
    }

    /** The request after {@link Result#REQUEST}. */
    public Request request() {
        if (!lastWasRequest) throw new IllegalStateException("no request: the last parse() did not return REQUEST");
        return request;
    }

    /**
     * The caller is done with the last request: the parser forgets it (the next {@link #request()}
     * throws), so a connection waiting for its next request holds nothing of the last one. The
     * request's body, if any, is still discarded by the next {@link #parse}.
     */
    public void release() {
        if (state == HEAD_DONE) startBody();
        lastWasRequest = false;
    }

    /**
     * After {@link Result#ERROR}: BAD_REQUEST, URI_TOO_LONG, REQUEST_HEADER_FIELDS_TOO_LARGE,
     * HTTP_VERSION_NOT_SUPPORTED or NOT_IMPLEMENTED. The parser is then dead.
     */
    public Status error() {
        if (state != DEAD) throw new IllegalStateException("no error: the parser has not failed");
        return error;
    }

    /** The limits it parses under. */
    public Limits limits() { return limits; }

    /**
     * True when it holds nothing of any request: between requests, no body left to discard, not
     * failed. Such a parser may go on to parse another connection's requests.
     */
    public boolean blank() { return idle && state == REQUEST_LINE && !lastWasRequest; }

    /**
     * True when no byte of a next request (or of a pending body) has been consumed: the
     * connection is between requests. False once the parser is dead.
     */
    public boolean idle() { return idle && state != DEAD; }

    /**
     * True while the previous request's body is still to be discarded, from the REQUEST that
     * announced it until its last byte (or the end of its trailer section) has been consumed.
     */
    public boolean inBody() {
        return switch (state) {
            case FIXED_BODY, CHUNK_SIZE, CHUNK_DATA, CHUNK_CR, CHUNK_LF, TRAILER -> true;
            case HEAD_DONE -> request.bodyLength() != 0;
            default -> false;
        };
    }

    /**
     * After {@link Result#ERROR}: what the parser saw of the refused request's line, for the
     * access log, or null when there was none. The line as received when it was complete (its
     * fields may be what was wrong); its first {@value #SEEN_PREFIX} bytes and "..." when it was
     * too long; null when the failure was in a body, or before any line.
     */
    public String rejectedLine() {
        if (state != DEAD) throw new IllegalStateException("no error: the parser has not failed");
        return rejectedLine;
    }

    /** The bytes of an over-long request line kept for {@link #rejectedLine()}. */
    static final int SEEN_PREFIX = 100;

    private Result fail(Status s) {
        rejectedLine = switch (state) {
            case HEADER -> methodToken + ' ' + target + ' ' + version.text();
            case REQUEST_LINE -> lineArr != null
                    ? latin1(lineArr, lineOff, lineLen > 0 && lineArr[lineOff + lineLen - 1] == '\r' ? lineLen - 1 : lineLen)
                    : partial > 0 ? latin1(lineBuf, 0, Math.min(partial, SEEN_PREFIX)) + "..." : null;
            default -> null;
        };
        if (rejectedLine != null && rejectedLine.isEmpty()) rejectedLine = null;
        state = DEAD;
        error = s;
        request = null;
        headers = spareFields = null;
        lineBuf = null;
        lineArr = null;
        return Result.ERROR;
    }

    // ---------------------------------------------------------------- lines

    private static final int LINE = 0, MORE = 1, TOO_LONG = 2;

    /**
     * Looks for the LF ending the current line, scanning at most what {@code allowance} (the
     * bytes the whole line may take, CRLF included) still permits. On LINE the line is at
     * lineArr[lineOff, lineOff + lineLen), LF excluded, and {@code in} is past its LF.
     */
    private int readLine(ByteBuffer in, int allowance) {
        int pos = in.position();
        int room = allowance - partial;
        int end = pos + Math.min(in.limit() - pos, Math.max(room, 0));
        int lf = -1;
        if (in.hasArray()) {
            byte[] a = in.array();
            int base = in.arrayOffset();
            for (int i = pos + base, e = end + base; i < e; i++) {
                if (a[i] == '\n') { lf = i - base; break; }
            }
            if (lf >= 0 && partial == 0) { // the whole line is in the buffer: parse it in place
                lineArr = a;
                lineOff = base + pos;
                lineLen = lf - pos;
                in.position(lf + 1);
                return LINE;
            }
        } else {
            for (int i = pos; i < end; i++) {
                if (in.get(i) == '\n') { lf = i; break; }
            }
        }
        int take = (lf >= 0 ? lf : end) - pos;
        append(in, pos, take);
        if (lf >= 0) {
            in.position(lf + 1);
            lineArr = lineBuf;
            lineOff = 0;
            lineLen = partial;
            partial = 0;
            return LINE;
        }
        in.position(end);
        return partial >= allowance ? TOO_LONG : MORE;
    }

    private void append(ByteBuffer in, int pos, int n) {
        if (n == 0) return;
        int need = partial + n;
        if (lineBuf == null || lineBuf.length < need) {
            int cap = lineBuf == null ? 128 : lineBuf.length;
            while (cap < need) cap <<= 1;
            byte[] nb = new byte[cap];
            if (partial > 0) System.arraycopy(lineBuf, 0, nb, 0, partial);
            lineBuf = nb;
        }
        in.get(pos, lineBuf, partial, n);
        partial = need;
    }

    // ---------------------------------------------------------------- request line

    private Status requestLine(byte[] b, int off, int len) {
        if (len == 0) {
            return ++emptyLines > MAX_EMPTY_LINES ? Status.BAD_REQUEST : null;
        }
        int end = off + len;
        // method
        int i = off;
        while (i < end && isTchar(b[i])) i++;
        if (i == off || i == end || b[i] != ' ') return Status.BAD_REQUEST;
        Method m = Method.of(b, off, i - off);
        String mt = m == Method.OTHER ? strings.latin1(b, off, i - off) : m.name();
        // request-target
        int t = ++i;
        while (i < end && b[i] != ' ') {
            byte c = b[i];
            if (c < 0x21 || c > 0x7E || c == '#') return Status.BAD_REQUEST;
            i++;
        }
        if (i == t || i == end) return Status.BAD_REQUEST;
        int tEnd = i;
        // HTTP-version: exactly HTTP/DIGIT.DIGIT
        int v = i + 1;
        if (end - v != 8 || b[v] != 'H' || b[v + 1] != 'T' || b[v + 2] != 'T' || b[v + 3] != 'P' || b[v + 4] != '/'
                || !isDigit(b[v + 5]) || b[v + 6] != '.' || !isDigit(b[v + 7])) {
            return Status.BAD_REQUEST;
        }
        if (b[v + 5] != '1') return Status.HTTP_VERSION_NOT_SUPPORTED;
        Version ver = b[v + 7] == '0' ? Version.HTTP_1_0 : Version.HTTP_1_1;

        Status s = target(m, b, t, tEnd);
        if (s != null) return s;
        method = m;
        methodToken = mt;
        version = ver;
        headers = spareFields != null ? spareFields : new Headers(16);
        spareFields = null;
        sectionBytes = 0;
        fieldCount = 0;
        state = HEADER;
        return null;
    }

    /**
     * Classifies and splits the request-target (RFC 9112 §3.2); sets target, path (decoded and
     * normalised by {@link RequestPath}: an invalid path is 400 here, and only here), query,
     * absoluteHost.
     */
    private Status target(Method m, byte[] b, int start, int end) {
        String t = strings.latin1(b, start, end - start);
        absoluteHost = null;
        query = null;
        if (b[start] == '/') {
            if (m == Method.CONNECT) return Status.BAD_REQUEST;
            int q = t.indexOf('?');
            // the path and the query from the bytes, so that a repeated one is a kept string too
            path = RequestPath.of(q < 0 ? t : strings.latin1(b, start, q));
            if (path == null) return Status.BAD_REQUEST;
            if (q >= 0) query = strings.latin1(b, start + q + 1, end - start - q - 1);
        } else if (end - start == 1 && b[start] == '*') {
            if (m != Method.OPTIONS) return Status.BAD_REQUEST;
            path = t;
        } else if (m == Method.CONNECT) {
            // authority-form: uri-host ":" port, the port required
            if (!validHost(t, true)) return Status.BAD_REQUEST;
            path = t;
        } else {
            int schemeEnd;
            if (t.regionMatches(true, 0, "http://", 0, 7)) schemeEnd = 7;
            else if (t.regionMatches(true, 0, "https://", 0, 8)) schemeEnd = 8;
            else return Status.BAD_REQUEST;
            int a = schemeEnd;
            while (a < t.length() && t.charAt(a) != '/' && t.charAt(a) != '?') a++;
            String authority = t.substring(schemeEnd, a);
            if (!validHost(authority, false)) return Status.BAD_REQUEST;
            int q = t.indexOf('?', a);
            String raw = q < 0 ? t.substring(a) : t.substring(a, q);
            path = RequestPath.of(raw.isEmpty() ? "/" : raw);
            if (path == null) return Status.BAD_REQUEST;
            if (q >= 0) query = t.substring(q + 1);
            absoluteHost = authority;
        }
        target = t;
        return null;
    }

    // ---------------------------------------------------------------- fields

    private Status headerLine(byte[] b, int off, int len) {
        sectionBytes += len + 2;
        if (len == 0) return finishHead();
        if (++fieldCount > limits.maxHeaderCount()) return Status.REQUEST_HEADER_FIELDS_TOO_LARGE;
        int end = off + len;
        int colon = fieldName(b, off, end);
        if (colon < 0) return Status.BAD_REQUEST;
        int vs = valueStart(b, colon + 1, end), ve = valueEnd(b, vs, end);
        if (vs < 0) return Status.BAD_REQUEST;
        headers.add(fieldNameString(b, off, colon - off), strings.latin1(b, vs, ve - vs));
        return null;
    }

    private Status trailerLine(byte[] b, int off, int len) {
        sectionBytes += len + 2;
        if (len == 0) {
            bodyDone();
            return null;
        }
        if (++fieldCount > limits.maxHeaderCount()) return Status.REQUEST_HEADER_FIELDS_TOO_LARGE;
        int end = off + len;
        int colon = fieldName(b, off, end);
        if (colon < 0 || valueStart(b, colon + 1, end) < 0) return Status.BAD_REQUEST;
        int n = colon - off;
        if (nameIs(b, off, n, "Content-Length") || nameIs(b, off, n, "Transfer-Encoding") || nameIs(b, off, n, "Host")
                || nameIs(b, off, n, "Connection") || nameIs(b, off, n, "Trailer") || nameIs(b, off, n, "TE")) {
            return Status.BAD_REQUEST;
        }
        return null;
    }

    /** Index of the colon after a non-empty token name, or -1 (obs-fold, whitespace before the colon, …). */
    private static int fieldName(byte[] b, int off, int end) {
        int i = off;
        while (i < end && isTchar(b[i])) i++;
        return i == off || i == end || b[i] != ':' ? -1 : i;
    }

    /** Start of the value after leading OWS, or -1 when a byte of the value is not field-content. */
    private static int valueStart(byte[] b, int from, int end) {
        int s = from;
        while (s < end && (b[s] == ' ' || b[s] == '\t')) s++;
        for (int i = s; i < end; i++) if (!VALUE_BYTE[b[i] & 0xFF]) return -1;
        return s;
    }

    /** The bytes a field value may hold (RFC 9110 §5.5): visible characters, obs-text, SP and HTAB. */
    private static final boolean[] VALUE_BYTE = new boolean[256];
    static {
        for (int c = 0x21; c < 256; c++) VALUE_BYTE[c] = c != 0x7F;
        VALUE_BYTE[' '] = true;
        VALUE_BYTE['\t'] = true;
    }

    private static int valueEnd(byte[] b, int start, int end) {
        if (start < 0) return -1;
        int e = end;
        while (e > start && (b[e - 1] == ' ' || b[e - 1] == '\t')) e--;
        return e;
    }

    private static final String[] COMMON_NAMES = {
        "Host", "Connection", "Content-Length", "Transfer-Encoding", "Accept", "Accept-Encoding",
        "Accept-Language", "User-Agent", "If-None-Match", "If-Modified-Since", "Range", "Referer", "Cookie",
    };

    /** The name as sent; a common name in its usual spelling is shared rather than allocated. */
    private String fieldNameString(byte[] b, int off, int len) {
        for (String n : COMMON_NAMES) {
            if (n.length() != len) continue;
            int i = 0;
            while (i < len && b[off + i] == n.charAt(i)) i++;
            if (i == len) return n;
        }
        return strings.latin1(b, off, len);
    }

    private static boolean nameIs(byte[] b, int off, int len, String name) {
        if (len != name.length()) return false;
        for (int i = 0; i < len; i++) {
            if (lower(b[off + i]) != lower((byte) name.charAt(i))) return false;
        }
        return true;
    }

    // ---------------------------------------------------------------- end of head

    private Status finishHead() {
        String host = null;
        int hosts = 0;
        long contentLength = -1;
        boolean te = false;
        for (int i = 0, n = headers.size(); i < n; i++) {
            String name = headers.name(i);
            if (name.equalsIgnoreCase("Host")) {
                if (hosts++ == 0) host = headers.value(i);
            } else if (name.equalsIgnoreCase("Transfer-Encoding")) {
                te = true;
            } else if (name.equalsIgnoreCase("Content-Length")) {
                long cl = contentLength(headers.value(i));
                if (cl < 0 || (contentLength >= 0 && cl != contentLength)) return Status.BAD_REQUEST;
                contentLength = cl;
            }
        }
        if (hosts > 1 || (hosts == 0 && version == Version.HTTP_1_1)) return Status.BAD_REQUEST;
        if (host != null && !validHost(host, false)) return Status.BAD_REQUEST;
        long bodyLength = 0;
        if (te) {
            if (version == Version.HTTP_1_0 || contentLength >= 0) return Status.BAD_REQUEST;
            Status s = transferCodings();
            if (s != null) return s;
            bodyLength = Request.CHUNKED;
        } else if (contentLength >= 0) {
            bodyLength = contentLength;
        }
        boolean keepAlive = version == Version.HTTP_1_1
                ? !headers.hasToken("Connection", "close")
                : headers.hasToken("Connection", "keep-alive") && !headers.hasToken("Connection", "close");
        // the request gets the fields in an array of their number, or the last request's array
        // when it repeats them (as clients do on a connection), shared until a handler changes them;
        // the list they were gathered in, emptied, gathers the next head's
        if (!headers.sameFields(lastFields)) lastFields = headers.exactCopy();
        request = new Request(method, methodToken, target, path, query, version, lastFields.copy(),
                absoluteHost != null ? absoluteHost : host, keepAlive, bodyLength);
        headers.clear();
        spareFields = headers;
        headers = null;
        methodToken = target = path = query = absoluteHost = null; // the request holds them now
        emptyLines = 0;
        shrinkLineBuffer();
        state = HEAD_DONE;
        return null;
    }

    /** A Content-Length value (a list of identical values counts as one), or -1 when invalid. */
    private static long contentLength(String v) {
        long result = -1;
        int n = v.length(), i = 0;
        while (i <= n) {
            int comma = v.indexOf(',', i);
            if (comma < 0) comma = n;
            int s = i, e = comma;
            while (s < e && isOws(v.charAt(s))) s++;
            while (e > s && isOws(v.charAt(e - 1))) e--;
            if (s == e || e - s > 64) return -1;
            long x = 0;
            for (int k = s; k < e; k++) {
                char c = v.charAt(k);
                if (c < '0' || c > '9') return -1;
                int d = c - '0';
                if (x > (Long.MAX_VALUE - d) / 10) return -1;
                x = x * 10 + d;
            }
            if (result >= 0 && x != result) return -1;
            result = x;
            i = comma + 1;
        }
        return result;
    }

    /**
     * Checks the transfer codings of every Transfer-Encoding field: empty elements or bad syntax
     * → 400, a coding other than chunked → 501, chunked not final or repeated → 400.
     */
    private Status transferCodings() {
        int chunked = 0;
        boolean unknown = false, chunkedLast = false;
        for (int f = 0, n = headers.size(); f < n; f++) {
            if (!headers.name(f).equalsIgnoreCase("Transfer-Encoding")) continue;
            String v = headers.value(f);
            int len = v.length(), i = 0;
            while (i <= len) {
                int comma = v.indexOf(',', i);
                if (comma < 0) comma = len;
                int s = i, e = comma;
                while (s < e && isOws(v.charAt(s))) s++;
                while (e > s && isOws(v.charAt(e - 1))) e--;
                if (s == e) return Status.BAD_REQUEST;
                if (e - s == 7 && v.regionMatches(true, s, "chunked", 0, 7)) {
                    chunked++;
                    chunkedLast = true;
                } else {
                    unknown = true; // gzip, xchunked, chunked;x=1, … : tenk decodes none of them
                    chunkedLast = false;
                }
                i = comma + 1;
            }
        }
        if (unknown) return Status.NOT_IMPLEMENTED;
        if (chunked != 1 || !chunkedLast) return Status.BAD_REQUEST;
        return null;
    }

    // ---------------------------------------------------------------- body

    private void startBody() {
        long len = request.bodyLength();
        request = null; // the caller holds it (see release())
        if (len == Request.CHUNKED) {
            state = CHUNK_SIZE;
        } else if (len > 0) {
            state = FIXED_BODY;
            remaining = len;
        } else {
            state = REQUEST_LINE;
        }
    }

    private void bodyDone() {
        state = REQUEST_LINE;
        idle = true;
        shrinkLineBuffer();
    }

    /** Drops a line buffer grown for a long line, so that an idle parser stays small. */
    private void shrinkLineBuffer() {
        if (lineBuf != null && lineBuf.length > KEEP_LINE_BUFFER) lineBuf = null;
    }

    /** Bytes held for partial lines (for tests: an idle parser holds at most a few hundred). */
    int lineBufferCapacity() { return lineBuf == null ? 0 : lineBuf.length; }

    private Status chunkSizeLine(byte[] b, int off, int len) {
        int end = off + len, i = off;
        long size = 0;
        while (i < end) {
            int d = hexValue(b[i]);
            if (d < 0) break;
            if (i - off == 16 || size > (Long.MAX_VALUE >> 4)) return Status.BAD_REQUEST;
            size = (size << 4) | d;
            i++;
        }
        if (i == off) return Status.BAD_REQUEST;
        // chunk-ext = *( BWS ";" BWS ext-name [ BWS "=" BWS ext-val ] )
        while (i < end) {
            i = skipWs(b, i, end);
            if (i == end || b[i] != ';') return Status.BAD_REQUEST;
            i = skipWs(b, i + 1, end);
            int nameStart = i;
            while (i < end && isTchar(b[i])) i++;
            if (i == nameStart) return Status.BAD_REQUEST;
            int k = skipWs(b, i, end);
            if (k < end && b[k] == '=') {
                k = skipWs(b, k + 1, end);
                if (k == end) return Status.BAD_REQUEST;
                if (b[k] == '"') {
                    k = quotedStringEnd(b, k, end);
                    if (k < 0) return Status.BAD_REQUEST;
                } else {
                    int vs = k;
                    while (k < end && isTchar(b[k])) k++;
                    if (k == vs) return Status.BAD_REQUEST;
                }
                i = k;
            }
        }
        if (size == 0) {
            state = TRAILER;
            sectionBytes = 0;
            fieldCount = 0;
        } else {
            state = CHUNK_DATA;
            remaining = size;
        }
        return null;
    }

    /** The index after the closing quote of the quoted-string opening at {@code i}, or -1. */
    private static int quotedStringEnd(byte[] b, int i, int end) {
        i++;
        while (i < end) {
            int c = b[i] & 0xFF;
            if (c == '"') return i + 1;
            if (c == '\\') {
                if (++i == end) return -1;
                c = b[i] & 0xFF;
                if (c != '\t' && (c < 0x20 || c == 0x7F)) return -1;
            } else if (c != '\t' && (c < 0x20 || c == 0x7F)) {
                return -1;
            }
            i++;
        }
        return -1;
    }

    private static int skipWs(byte[] b, int i, int end) {
        while (i < end && (b[i] == ' ' || b[i] == '\t')) i++;
        return i;
    }

    // ---------------------------------------------------------------- host

    /**
     * {@code uri-host [":" port]} (RFC 9110 §7.2, RFC 3986 §3.2.2): a reg-name or IPv4 address,
     * or an IPv6 literal in brackets (IPvFuture is refused); a port of 1 to 5 digits, at most 65535.
     */
    static boolean validHost(String h, boolean portRequired) {
        int n = h.length();
        if (n == 0) return false;
        int i;
        if (h.charAt(0) == '[') {
            int close = h.indexOf(']');
            if (close < 0 || !validIpv6(h, 1, close)) return false;
            i = close + 1;
        } else {
            i = 0;
            while (i < n && h.charAt(i) != ':') {
                char c = h.charAt(i);
                if (c == '%') {
                    if (i + 2 >= n || hexValue((byte) h.charAt(i + 1)) < 0 || hexValue((byte) h.charAt(i + 2)) < 0) return false;
                    i += 3;
                    continue;
                }
                if (!isRegNameChar(c)) return false;
                i++;
            }
            if (i == 0) return false;
        }
        if (i == n) return !portRequired;
        if (h.charAt(i) != ':') return false;
        int digits = n - i - 1;
        if (digits < 1 || digits > 5) return false;
        int port = 0;
        for (int k = i + 1; k < n; k++) {
            char c = h.charAt(k);
            if (c < '0' || c > '9') return false;
            port = port * 10 + (c - '0');
        }
        return port <= 65535;
    }

    /** IPv6address (RFC 3986 §3.2.2) in h[from, to). */
    static boolean validIpv6(String h, int from, int to) {
        if (to - from < 2) return false;
        int groups = 0;
        boolean elided = false;
        int i = from;
        if (h.charAt(i) == ':') {
            if (h.charAt(i + 1) != ':') return false;
            elided = true;
            i += 2;
            if (i == to) return true; // "::"
        }
        while (i < to) {
            int s = i;
            while (i < to && i - s < 5 && hexValue((byte) h.charAt(i)) >= 0) i++;
            if (i < to && h.charAt(i) == '.') { // a trailing IPv4 address takes two groups
                if (!validIpv4(h, s, to)) return false;
                groups += 2;
                i = to;
                break;
            }
            int len = i - s;
            if (len == 0 || len > 4) return false;
            groups++;
            if (i == to) break;
            if (h.charAt(i) != ':') return false;
            i++;
            if (i < to && h.charAt(i) == ':') {
                if (elided) return false;
                elided = true;
                i++;
                if (i == to) break;
            } else if (i == to) {
                return false; // a trailing single colon
            }
        }
        return elided ? groups <= 7 : groups == 8;
    }

    private static boolean validIpv4(String h, int from, int to) {
        int parts = 0, i = from;
        while (true) {
            int s = i, v = 0;
            while (i < to && h.charAt(i) >= '0' && h.charAt(i) <= '9' && i - s < 3) v = v * 10 + (h.charAt(i++) - '0');
            if (i == s || v > 255 || (i - s > 1 && h.charAt(s) == '0')) return false;
            parts++;
            if (i == to) return parts == 4;
            if (h.charAt(i) != '.' || parts == 4) return false;
            i++;
        }
    }

    private static boolean isRegNameChar(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || c == '-' || c == '.' || c == '_' || c == '~'
                || c == '!' || c == '$' || c == '&' || c == '\'' || c == '(' || c == ')'
                || c == '*' || c == '+' || c == ',' || c == ';' || c == '=';
    }

    // ---------------------------------------------------------------- bytes

    private static boolean isTchar(byte b) { return FieldSyntax.isTchar(b); }

    private static boolean isDigit(byte b) { return b >= '0' && b <= '9'; }

    private static boolean isOws(char c) { return c == ' ' || c == '\t'; }

    private static int hexValue(byte b) {
        if (b >= '0' && b <= '9') return b - '0';
        if (b >= 'a' && b <= 'f') return b - 'a' + 10;
        if (b >= 'A' && b <= 'F') return b - 'A' + 10;
        return -1;
    }

    private static int lower(byte b) { return b >= 'A' && b <= 'Z' ? b + 32 : b; }

    private static String latin1(byte[] b, int off, int len) {
        return new String(b, off, len, StandardCharsets.ISO_8859_1);
    }
}
