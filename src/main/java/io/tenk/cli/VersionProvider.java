package io.tenk.cli;

import io.tenk.TenkServer;
import picocli.CommandLine.IVersionProvider;

/** Reads the version Maven wrote into the jar. */
final class VersionProvider implements IVersionProvider {
    @Override public String[] getVersion() {
        return new String[] {"tenk " + TenkServer.version() + " (Java " + Runtime.version() + ")"};
    }
}
