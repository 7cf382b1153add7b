package io.tenk.model;

import java.net.InetSocketAddress;

/**
 * Where a model listens.
 *
 * @param address   the address and port (0 picks one)
 * @param reusePort share the port with other processes that set it too (SO_REUSEPORT): the
 *                  workers of {@code prefork}, among which the kernel spreads new connections
 * @param inherited take the listening socket the service manager passed ({@link InheritedSocket})
 *                  instead of opening one at {@code address}
 */
public record Bind(InetSocketAddress address, boolean reusePort, boolean inherited) {
    /** A socket of its own at {@code address}. */
    public Bind(InetSocketAddress address, boolean reusePort) { this(address, reusePort, false); }
}
