package io.tenk.http;

import java.nio.charset.StandardCharsets;

/** The response statuses tenk sends, with their reason phrases (RFC 9110 §15). */
public enum Status {
    CONTINUE(100, "Continue"),
    OK(200, "OK"),
    NO_CONTENT(204, "No Content"),
    PARTIAL_CONTENT(206, "Partial Content"),
    MOVED_PERMANENTLY(301, "Moved Permanently"),
    FOUND(302, "Found"),
    SEE_OTHER(303, "See Other"),
    NOT_MODIFIED(304, "Not Modified"),
    TEMPORARY_REDIRECT(307, "Temporary Redirect"),
    PERMANENT_REDIRECT(308, "Permanent Redirect"),
    BAD_REQUEST(400, "Bad Request"),
    FORBIDDEN(403, "Forbidden"),
    NOT_FOUND(404, "Not Found"),
    METHOD_NOT_ALLOWED(405, "Method Not Allowed"),
    NOT_ACCEPTABLE(406, "Not Acceptable"),
    REQUEST_TIMEOUT(408, "Request Timeout"),
    LENGTH_REQUIRED(411, "Length Required"),
    PRECONDITION_FAILED(412, "Precondition Failed"),
    CONTENT_TOO_LARGE(413, "Content Too Large"),
    URI_TOO_LONG(414, "URI Too Long"),
    RANGE_NOT_SATISFIABLE(416, "Range Not Satisfiable"),
    REQUEST_HEADER_FIELDS_TOO_LARGE(431, "Request Header Fields Too Large"),
    INTERNAL_SERVER_ERROR(500, "Internal Server Error"),
    NOT_IMPLEMENTED(501, "Not Implemented"),
    SERVICE_UNAVAILABLE(503, "Service Unavailable"),
    HTTP_VERSION_NOT_SUPPORTED(505, "HTTP Version Not Supported");

    private final int code;
    private final String reason;
    private final byte[] codeBytes;

    Status(int code, String reason) {
        this.code = code;
        this.reason = reason;
        this.codeBytes = Integer.toString(code).getBytes(StandardCharsets.US_ASCII);
    }

    public int code() { return code; }

    public String reason() { return reason; }

    /** The three ASCII digits of the code, e.g. for access logs without allocation. */
    byte[] codeBytes() { return codeBytes; }

    /** 1xx, 204 and 304 responses never carry content (RFC 9110 §6.4.1). */
    public boolean allowsContent() { return code >= 200 && code != 204 && code != 304; }

    /** True for 4xx and 5xx. */
    public boolean isError() { return code >= 400; }

    @Override public String toString() { return code + " " + reason; }
}
