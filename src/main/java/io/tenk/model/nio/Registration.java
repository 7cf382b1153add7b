package io.tenk.model.nio;

import io.tenk.conn.Session;
import io.tenk.conn.Step;
import io.tenk.conn.Transport;
import io.tenk.transport.SocketTransport;

/**
 * A connection as an event loop keeps it: its socket's transport (for readiness), the transport
 * its session uses (the same, or TLS over it), its session, what the session waits for, and the
 * loop's bookkeeping.
 */
final class Registration {
    final EventLoop owner;  // the loop that accepted it: keeps it in its list, times it out
    final SocketTransport transport;
    final Transport sessionTransport;
    final Session session;
    Step step = Step.READ;  // what the session asked for last
    Object token;           // the readiness source's handle (a SelectionKey), if it keeps one
    int interest;           // the interest last given to the source, to skip redundant updates
    int fd = -1;            // the socket's descriptor, for the native readiness sources
    int index;              // position in the loop's list (swap-remove); -1 once closed
    long parkedIn = -1;     // the loop's pass in which it was parked (its transport works elsewhere); -1 when not

    Registration(EventLoop owner, SocketTransport transport, Transport sessionTransport, Session session) {
        this.owner = owner;
        this.transport = transport;
        this.sessionTransport = sessionTransport;
        this.session = session;
    }
}
