package io.tenk.cli;

import io.tenk.config.ConfigFile;
import io.tenk.config.Listen;
import io.tenk.config.ServerConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static io.tenk.cli.CliTest.assertOneLineError;
import static io.tenk.cli.CliTest.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** {@code --admin}, {@code --access-log}, {@code --error-log} and the {@code [admin]} and {@code [log]} tables. */
class ObserveFlagsTest {
    @TempDir Path dir;

    @Test void flagsSetTheAdminListenerAndTheLogFiles() throws Exception {
        ServeCommand c = parse("--admin", "127.0.0.1:9090", "--access-log", dir.resolve("a.log").toString(),
                "--error-log", dir.resolve("e.log").toString(), "--drain-delay", "1500ms");
        ServerConfig cfg = c.toConfig();
        assertEquals(java.time.Duration.ofMillis(1500), cfg.observe().drainDelay());
        assertEquals(new Listen("127.0.0.1", 9090), cfg.observe().admin());
        assertEquals(dir.resolve("a.log"), cfg.observe().accessFile());
        assertEquals(dir.resolve("e.log"), cfg.observe().errorFile());
        ServerConfig none = parse().toConfig();
        assertNull(none.observe().admin(), "off by default");
        assertNull(none.observe().accessFile());
        assertEquals(java.time.Duration.ZERO, none.observe().drainDelay(), "no drain delay by default");
        assertNull(none.with(b -> b.preforkWorker(1)).observe().admin(), "a prefork worker leaves them to its master");
    }

    private ServeCommand parse(String... args) {
        ServeCommand c = new ServeCommand();
        String[] all = new String[args.length + 2];
        all[0] = "-d";
        all[1] = dir.toString();
        System.arraycopy(args, 0, all, 2, args.length);
        c.commandLine().parseArgs(all);
        return c;
    }

    @Test void badFlagsAreOneLine() {
        assertOneLineError(run("-p", "0", "-d", dir.toString(), "--admin", "9090"), 2, "--admin '9090': expected host:port");
        assertOneLineError(run("-p", "0", "-d", dir.toString(), "--admin", "127.0.0.1:99999"), 2, "out of range");
        assertOneLineError(run("-p", "0", "-d", dir.toString(), "--access-log", dir.resolve("no/a.log").toString()), 2,
                "--access-log: directory " + dir.resolve("no") + " does not exist");
        assertOneLineError(run("-p", "0", "-d", dir.toString(), "--error-log", dir.toString()), 2,
                "--error-log: " + dir + " is a directory");
    }

    @Test void configTables() throws IOException {
        Files.createDirectories(dir.resolve("logs"));
        Path f = dir.resolve("tenk.toml");
        ServerConfig cfg = ConfigFile.parse("""
                [admin]
                listen = "[::1]:9100"
                drain_delay = "2s"

                [log]
                access = "logs/access.log"
                error = "logs/error.log"
                """, f, ServerConfig.defaults(dir));
        assertEquals(new Listen("::1", 9100), cfg.observe().admin());
        assertEquals(java.time.Duration.ofSeconds(2), cfg.observe().drainDelay());
        assertEquals(dir.resolve("logs/access.log"), cfg.observe().accessFile());
        assertEquals(dir.resolve("logs/error.log"), cfg.observe().errorFile());
    }

    @Test void badTablesNameTheLineAndKey() throws IOException {
        Path f = dir.resolve("bad.toml");
        Files.writeString(f, "[admin]\nlisten = \"localhost\"\n");
        assertOneLineError(run("check", "--config", f.toString()), 2, f + ":2: admin.listen: 'localhost': expected host:port");
        Files.writeString(f, "[admin]\nport = 9090\n");
        assertOneLineError(run("check", "--config", f.toString()), 2, f + ":2: admin.port: unknown key");
        Files.writeString(f, "[log]\naccess = \"missing/a.log\"\n");
        assertOneLineError(run("check", "--config", f.toString()), 2, f + ":2: log.access: directory " + dir.resolve("missing"));
        Files.writeString(f, "[log]\nerror = 3\n");
        assertOneLineError(run("check", "--config", f.toString()), 2, f + ":2: log.error: expected a string");
    }
}
