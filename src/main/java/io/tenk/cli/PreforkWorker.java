package io.tenk.cli;

import io.tenk.TenkServer;
import io.tenk.model.prefork.WorkerCommand;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;

/**
 * The worker side of {@code prefork}: tells the master it listens, and stops when the master is
 * gone (its end of our stdin closes, even after a SIGKILL), so no worker outlives its master.
 */
final class PreforkWorker {
    private PreforkWorker() {}

    static void announce(PrintStream out, TenkServer server) {
        out.println(WorkerCommand.READY);
        out.flush();
        Thread.ofPlatform().daemon().name("tenk-worker-master-watch").start(() -> {
            InputStream in = System.in;
            byte[] sink = new byte[256];
            try {
                while (in.read(sink) >= 0) {
                    // the master never writes; anything read is ignored
                }
            } catch (IOException e) {
                // closed: the same as EOF
            }
            server.stop();
        });
    }
}
