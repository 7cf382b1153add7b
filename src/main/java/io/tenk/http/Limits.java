package io.tenk.http;

/**
 * Size limits the parser enforces.
 *
 * @param maxRequestLine   bytes in the request line, CRLF excluded; longer → 414
 * @param maxHeaderSection bytes in the header section (all field lines with their CRLFs, and the
 *                         final CRLF); larger → 431. Trailers of a chunked body obey it too.
 * @param maxHeaderCount   header fields; more → 431
 */
public record Limits(int maxRequestLine, int maxHeaderSection, int maxHeaderCount) {
    public Limits {
        if (maxRequestLine < 16 || maxHeaderSection < 16 || maxHeaderCount < 1) {
            throw new IllegalArgumentException("limits too small: " + maxRequestLine + "/" + maxHeaderSection + "/" + maxHeaderCount);
        }
    }
}
