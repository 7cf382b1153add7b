package io.tenk.model.nio;

import io.tenk.conn.Session;
import io.tenk.conn.Step;
import io.tenk.conn.Transport;
import io.tenk.transport.RawTransport;
import io.tenk.transport.SocketTransport;

import java.nio.channels.SocketChannel;

/**
 * A connection as an event loop keeps it: its socket's transport (for readiness), the transport
 * its session uses (the same, or TLS over it), its session, what the session waits for, and the
 * loop's bookkeeping.
 */
final class Registration {
    final EventLoop owner;  // the loop that accepted it: keeps it in its list, times it out
    final RawTransport transport;
    final SocketChannel channel; // its JDK channel, or null for a bare descriptor (FdTransport)
    final Transport sessionTransport;
    final Session session;
    Step step = Step.READ;  // what the session asked for last
    Object token;           // the readiness source's handle (a SelectionKey), if it keeps one
    int interest;           // the interest last given to the source, to skip redundant updates
    int fd;                 // the socket's descriptor, for the native readiness sources (-1: not yet known)
    int index;              // position in the loop's list (swap-remove); -1 once closed
    long parkedIn = -1;     // the loop's pass in which it was parked (its transport works elsewhere); -1 when not

    /** A connection on a JDK channel: its descriptor is found when a native source tracks it. */
    Registration(EventLoop owner, SocketTransport transport, Transport sessionTransport, Session session) {
        this(owner, transport, transport.channel(), -1, sessionTransport, session);
    }

    /** A connection on a bare descriptor. */
    Registration(EventLoop owner, FdTransport transport, Transport sessionTransport, Session session) {
        this(owner, transport, null, transport.fd(), sessionTransport, session);
    }

    private Registration(EventLoop owner, RawTransport transport, SocketChannel channel, int fd, Transport sessionTransport,
                         Session session) {
        this.owner = owner;
        this.transport = transport;
        this.channel = channel;
        this.fd = fd;
        this.sessionTransport = sessionTransport;
        this.session = session;
    }
}
