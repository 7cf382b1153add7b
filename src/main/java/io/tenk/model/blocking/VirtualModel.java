package io.tenk.model.blocking;

import io.tenk.conn.ServerContext;
import io.tenk.model.Bind;


/**
 * {@code virtual}: a virtual thread per connection running the same blocking session. A blocked
 * read or write parks the virtual thread and frees its carrier: the JVM's coroutines.
 */
public final class VirtualModel extends BlockingModel {
    private final Thread.Builder threads = Thread.ofVirtual();

    public VirtualModel(Bind bind, ServerContext ctx) { super(bind, ctx); }

    @Override public String name() { return "virtual"; }

    @Override void dispatch(ConnectionTask s) { threads.start(s); }
}
