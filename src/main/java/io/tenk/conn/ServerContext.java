package io.tenk.conn;

import io.tenk.config.Timeouts;
import io.tenk.handler.Handler;
import io.tenk.http.Limits;
import io.tenk.observe.AccessLog;
import io.tenk.observe.ErrorLog;
import io.tenk.observe.Metrics;

/**
 * What every connection of a server shares, whatever the model: the handler that answers
 * requests, the limits, the timeouts, the logs, the metrics, the open-connection count, where a
 * thread that cannot go on reports ({@link Fatal}), and what the listener puts around each
 * connection's socket ({@link TransportLayer}: TLS, or nothing).
 */
public record ServerContext(Handler handler, Limits limits, Timeouts timeouts, long maxDiscardedBody,
                            AccessLog accessLog, ErrorLog errorLog, ConnectionLimiter connections, Fatal fatal,
                            Metrics metrics, TransportLayer layer) {

    /** A plain listener's context. */
    public ServerContext(Handler handler, Limits limits, Timeouts timeouts, long maxDiscardedBody,
                         AccessLog accessLog, ErrorLog errorLog, ConnectionLimiter connections, Fatal fatal,
                         Metrics metrics) {
        this(handler, limits, timeouts, maxDiscardedBody, accessLog, errorLog, connections, fatal, metrics, TransportLayer.NONE);
    }

    /** The same context with other timeouts (a model may shorten some). */
    public ServerContext withTimeouts(Timeouts t) {
        return new ServerContext(handler, limits, t, maxDiscardedBody, accessLog, errorLog, connections, fatal, metrics, layer);
    }

    /** The same context for another listener: its handler and what it puts around connections. */
    public ServerContext forListener(Handler h, TransportLayer l) {
        return new ServerContext(h, limits, timeouts, maxDiscardedBody, accessLog, errorLog, connections, fatal, metrics, l);
    }
}
