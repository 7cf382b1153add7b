package io.tenk.conn;

import io.tenk.config.Timeouts;
import io.tenk.handler.Handler;
import io.tenk.http.Limits;
import io.tenk.observe.AccessLog;
import io.tenk.observe.ErrorLog;
import io.tenk.observe.Metrics;

/**
 * What every connection of a server shares, whatever the model: the handler that answers
 * requests, the limits, the timeouts, the logs, the metrics, the open-connection count, and where
 * a thread that cannot go on reports ({@link Fatal}).
 */
public record ServerContext(Handler handler, Limits limits, Timeouts timeouts, long maxDiscardedBody,
                            AccessLog accessLog, ErrorLog errorLog, ConnectionLimiter connections, Fatal fatal,
                            Metrics metrics) {

    /** The same context with other timeouts (a model may shorten some). */
    public ServerContext withTimeouts(Timeouts t) {
        return new ServerContext(handler, limits, t, maxDiscardedBody, accessLog, errorLog, connections, fatal, metrics);
    }
}
