package io.tenk.handler;

import io.tenk.http.Request;
import io.tenk.http.Response;

import java.util.List;

/** Passes each request to the handler of the site its Host names (see {@link HostTable}). */
public final class VirtualHosts implements Handler {
    private final HostTable table;
    private final Handler[] sites;

    /** @param sites one handler per site, in the order of the table's names */
    public VirtualHosts(HostTable table, List<Handler> sites) {
        this.table = table;
        this.sites = sites.toArray(Handler[]::new);
    }

    @Override public Response handle(Request request) {
        return sites[table.select(request.host())].handle(request);
    }
}
