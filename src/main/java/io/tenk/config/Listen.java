package io.tenk.config;

/**
 * One address to listen on.
 *
 * @param host an IP literal (IPv6 without brackets) or a host name
 * @param port 0 to 65535; 0 picks a free port
 * @param tls  whether connections speak HTTPS ({@code https://host:port} in a config file)
 * @throws IllegalArgumentException for a blank host or a port out of range, with a user-facing message
 */
public record Listen(String host, int port, boolean tls) {
    public static final String HTTPS = "https://";
    private static final String HTTP = "http://";

    /** A plain HTTP address. */
    public Listen(String host, int port) {
        this(host, port, false);
    }

    public Listen withPort(int p) { return new Listen(host, p, tls); }

    // written out: a record's generated equals and hashCode are linked by a bootstrap method on
    // their first call, milliseconds of every start
    @Override public boolean equals(Object o) {
        return o instanceof Listen l && port == l.port && tls == l.tls && host.equals(l.host);
    }

    @Override public int hashCode() {
        return (host.hashCode() * 31 + port) * 31 + (tls ? 1 : 0);
    }

    public Listen {
        if (host == null || host.isBlank()) throw new IllegalArgumentException("empty listen address");
        if (host.startsWith("[") && host.endsWith("]")) host = host.substring(1, host.length() - 1);
        checkPort(port);
    }

    /** @throws IllegalArgumentException {@code port N is out of range (0-65535)} */
    public static void checkPort(int port) {
        if (port < 0 || port > 65535) throw new IllegalArgumentException("port " + port + " is out of range (0-65535)");
    }

    /**
     * Parses {@code host:port}, {@code [v6]:port}, either with {@code https://} before it (HTTPS)
     * or {@code http://}. The port is required.
     *
     * @throws IllegalArgumentException with a user-facing message
     */
    public static Listen parse(String text) {
        String s = text.strip();
        boolean tls = s.startsWith(HTTPS);
        if (tls) s = s.substring(HTTPS.length());
        else if (s.startsWith(HTTP)) s = s.substring(HTTP.length());
        String host;
        String port;
        if (s.startsWith("[")) {
            int close = s.indexOf(']');
            if (close < 0) throw new IllegalArgumentException("'" + text + "': missing ']' after an IPv6 address");
            host = s.substring(1, close);
            if (close + 1 >= s.length() || s.charAt(close + 1) != ':') {
                throw new IllegalArgumentException("'" + text + "': expected [address]:port");
            }
            port = s.substring(close + 2);
            if (host.isEmpty() || !host.chars().allMatch(c -> Character.digit(c, 16) >= 0 || c == ':' || c == '.')) {
                throw new IllegalArgumentException("'" + text + "': bad IPv6 address");
            }
        } else {
            int colon = s.lastIndexOf(':');
            if (colon < 0) throw new IllegalArgumentException("'" + text + "': expected host:port (IPv6 as [::1]:port)");
            host = s.substring(0, colon);
            port = s.substring(colon + 1);
            if (host.indexOf(':') >= 0) throw new IllegalArgumentException("'" + text + "': write an IPv6 address in brackets, as [::1]:8080");
            if (host.isEmpty() || !host.chars().allMatch(c -> c < 0x80 && (Character.isLetterOrDigit(c) || c == '.' || c == '-'))) {
                throw new IllegalArgumentException("'" + text + "': bad host");
            }
        }
        if (port.isEmpty() || port.length() > 5 || !port.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new IllegalArgumentException("'" + text + "': bad port");
        }
        try {
            return new Listen(host, Integer.parseInt(port), tls);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + text + "': " + e.getMessage());
        }
    }

    /** {@code host:port}, with an IPv6 address in brackets, and {@code https://} before it for HTTPS. */
    @Override public String toString() {
        return (tls ? HTTPS : "") + (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }
}
