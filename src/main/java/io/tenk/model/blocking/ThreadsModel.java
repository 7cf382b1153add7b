package io.tenk.model.blocking;

import io.tenk.conn.ServerContext;
import io.tenk.model.Bind;


/** {@code threads}: a new platform thread per connection (thread-per-client). */
public final class ThreadsModel extends BlockingModel {
    private final Thread.Builder threads = Thread.ofPlatform().name("tenk-conn-", 0);

    public ThreadsModel(Bind bind, ServerContext ctx) { super(bind, ctx); }

    @Override public String name() { return "threads"; }

    @Override void dispatch(ConnectionTask s) { threads.start(s); } // only the acceptor thread calls this
}
