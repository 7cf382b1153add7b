package io.tenk.cli;

import io.tenk.TenkServer;
import io.tenk.config.ServerConfig;
import io.tenk.observe.AccessLog;
import io.tenk.observe.ErrorLog;

import java.io.IOException;
import java.io.PrintStream;
import java.util.List;

/**
 * The child side of {@code --model process}: serves the connection on stdin and exits once it
 * has closed. No banner and no reload; SIGTERM or SIGINT drains the connection (the parent
 * normally says so through a pipe); access lines are written at once, before the connection's
 * close takes stdout away.
 */
final class ProcessChild {
    private ProcessChild() {}

    static int serve(ServerConfig config, PrintStream err) {
        TenkServer server;
        try {
            AccessLog access = config.accessLog() ? AccessLog.toStdoutUnbatched(config.logFormat()) : AccessLog.disabled();
            // one model, whatever addresses the parent listens on: the connection is on stdin
            server = TenkServer.start(config.with(b -> b.listen(List.of(config.listen().getFirst()))), access, ErrorLog.stderr(config.debug()));
        } catch (IOException | RuntimeException e) {
            err.println("tenk: cannot serve the connection: " + Cli.oneLine(e.getMessage()));
            return Cli.FAILED;
        }
        Signals.onTerminate(server::stop);
        Signals.onInterrupt(server::stop);
        Signals.onReload(() -> { }); // the next child reads the config afresh
        try {
            server.awaitStopped();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return server.failed() ? Cli.FAILED : Cli.OK;
    }
}
