package io.tenk.model.nio;

import io.tenk.conn.HttpSession;

import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;

/** A socket registered with an event loop, and the protocol session it carries. */
final class Connection {
    final SocketChannel channel;
    final HttpSession session;
    SelectionKey key;
    int interest;      // the interest set last given to the key, to skip redundant updates
    int index;         // position in the loop's connection list (swap-remove)
    boolean outputShut;

    Connection(SocketChannel channel, HttpSession session) {
        this.channel = channel;
        this.session = session;
    }
}
