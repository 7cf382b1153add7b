package io.tenk.model.process;

import io.tenk.model.prefork.WorkerCommand;

import java.util.ArrayList;
import java.util.List;

/**
 * The command line of a {@code process} child: tenk as a prefork worker is started (this JVM's
 * java, its options, a CDS archive among them when the launcher made one, its class path, the
 * server's arguments), plus {@link ChildConnection#FLAG}, and options that make a JVM that serves
 * one connection start sooner.
 */
public final class ChildCommand {
    private ChildCommand() {}

    public static List<String> of(List<String> serverArgs) {
        List<String> cmd = new ArrayList<>(WorkerCommand.tenk(serverArgs));
        cmd.add(ChildConnection.FLAG);
        return cmd;
    }
}
