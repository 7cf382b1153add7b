package io.tenk.http;

/**
 * Request methods tenk knows by name (RFC 9110 §9 and RFC 5789). A syntactically valid method
 * token that is not listed here parses as {@link #OTHER}; the handler answers it with 501.
 */
public enum Method {
    GET, HEAD, POST, PUT, DELETE, CONNECT, OPTIONS, TRACE, PATCH, OTHER;

    private static final Method[] KNOWN = {GET, HEAD, POST, PUT, DELETE, CONNECT, OPTIONS, TRACE, PATCH};

    /** The method whose name is exactly these bytes (case-sensitive, as RFC 9110 §9.1 says), else OTHER. */
    public static Method of(byte[] b, int off, int len) {
        // GET is by far the most common: check it without a loop.
        if (len == 3 && b[off] == 'G' && b[off + 1] == 'E' && b[off + 2] == 'T') return GET;
        for (Method m : KNOWN) {
            String n = m.name();
            if (n.length() != len) continue;
            int i = 0;
            while (i < len && b[off + i] == n.charAt(i)) i++;
            if (i == len) return m;
        }
        return OTHER;
    }

    /** The same lookup for a String token. */
    public static Method of(String token) {
        for (Method m : KNOWN) if (m.name().equals(token)) return m;
        return OTHER;
    }
}
