package io.tenk.transport;

import io.tenk.conn.Transport;

/**
 * A transport straight on a TCP socket, with nothing between (no TLS): what a driver watches for
 * readiness. It counts the bytes it moves, so a driver can tell a call that did something from
 * one that did not.
 */
public interface RawTransport extends Transport {
    /** Bytes moved either way so far: a number that changes whenever a call did something. */
    long moved();
}
