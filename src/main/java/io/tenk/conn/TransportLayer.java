package io.tenk.conn;

/**
 * What a listener puts between an accepted connection's socket and its session: nothing for
 * plain HTTP, TLS for HTTPS. A model asks this once per connection and keeps both: the socket's
 * transport for readiness, the returned one for the session.
 */
@FunctionalInterface
public interface TransportLayer {
    /** Plain: the session reads and writes the socket itself. */
    TransportLayer NONE = raw -> raw;

    /** The transport the session uses over {@code raw}. */
    Transport over(Transport raw);
}
