package io.tenk.model.blocking;

import io.tenk.conn.ServerContext;
import io.tenk.model.Bind;


/**
 * {@code iterative}: one connection at a time, served on the acceptor thread itself. The next
 * client waits in the listen backlog until this one closes or idles out (the idle timeout is
 * kept short for this model; see {@link io.tenk.config.ServerConfig#ITERATIVE_IDLE}).
 */
public final class IterativeModel extends BlockingModel {
    public IterativeModel(Bind bind, ServerContext ctx) { super(bind, ctx); }

    @Override public String name() { return "iterative"; }

    @Override void dispatch(ConnectionTask s) { s.run(); }
}
