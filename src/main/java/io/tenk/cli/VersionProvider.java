package io.tenk.cli;

import picocli.CommandLine.IVersionProvider;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** Reads the version Maven wrote into the jar. */
final class VersionProvider implements IVersionProvider {
    @Override public String[] getVersion() {
        Properties p = new Properties();
        try (InputStream in = VersionProvider.class.getResourceAsStream("/tenk-version.properties")) {
            if (in != null) p.load(in);
        } catch (IOException ignored) {
            // fall back to "unknown"
        }
        return new String[] {"tenk " + p.getProperty("version", "unknown") + " (Java " + Runtime.version() + ")"};
    }
}
