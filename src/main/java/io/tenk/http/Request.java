package io.tenk.http;

/**
 * A parsed request head. The body, if any, is not part of it: the parser frames and discards it
 * (tenk serves static files and never wants one).
 *
 * @param method      the method, {@link Method#OTHER} for a valid but unknown token
 * @param methodToken the method exactly as sent
 * @param target      the request-target exactly as sent (origin-, absolute-, authority- or asterisk-form),
 *                    for the access log
 * @param path        the path of the request as every layer sees it ({@link RequestPath}):
 *                    percent-decoded, dot segments removed, empty segments collapsed, a trailing
 *                    '/' kept; always starting with exactly one '/' ("*" for asterisk-form, the
 *                    authority for authority-form). Rules match it, files resolve it.
 *                    A rewrite replaces it with another path in the same form.
 * @param query       the query without its '?', or null when the target had none
 * @param version     HTTP/1.0 or HTTP/1.1
 * @param headers     the header fields in the order received
 * @param host        the host the request is for: the authority of an absolute-form target, else
 *                    the Host field; never null for HTTP/1.1, may be null for HTTP/1.0
 * @param keepAlive   whether the client allows the connection to stay open after this exchange
 *                    (HTTP/1.1 unless {@code Connection: close}; HTTP/1.0 only with
 *                    {@code Connection: keep-alive})
 * @param bodyLength  the framed length of the request body: 0 for none, -1 for chunked
 */
public record Request(
        Method method,
        String methodToken,
        String target,
        String path,
        String query,
        Version version,
        Headers headers,
        String host,
        boolean keepAlive,
        long bodyLength) {

    /** Body length value meaning "chunked, length unknown until the last chunk". */
    public static final long CHUNKED = -1;

    public boolean hasBody() { return bodyLength != 0; }

    /** The first value of a header field, or null. */
    public String header(String name) { return headers.get(name); }

    /** The request line as sent, without CRLF (for the access log). */
    public String requestLine() { return methodToken + ' ' + target + ' ' + version.text(); }
}
