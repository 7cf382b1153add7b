package io.tenk.http;

/** The HTTP versions tenk speaks. HTTP/1.x with a minor version above 1 is treated as HTTP/1.1 (RFC 9110 §2.5). */
public enum Version {
    HTTP_1_0("HTTP/1.0"), HTTP_1_1("HTTP/1.1");

    private final String text;

    Version(String text) { this.text = text; }

    /** As it appears on the wire, e.g. {@code HTTP/1.1}. */
    public String text() { return text; }

    @Override public String toString() { return text; }
}
