package io.tenk.cli;

import io.tenk.config.ServerConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** --header-timeout, --body-timeout, --idle-timeout, --write-timeout, --min-write-rate and --max-connections. */
class LimitFlagsTest {
    @TempDir Path root;

    private ServerConfig config(String... args) {
        ServeCommand c = new ServeCommand();
        c.commandLine().parseArgs(args);
        return c.toConfig();
    }

    @Test void defaultsComeFromServerConfig() {
        ServerConfig c = config("-d", root.toString());
        assertEquals(ServerConfig.DEFAULT_TIMEOUTS, c.timeouts());
        assertEquals(Duration.ofSeconds(10), c.timeouts().header());
        assertEquals(Duration.ofSeconds(30), c.timeouts().write());
        assertEquals(ServerConfig.defaultMaxConnections(), c.maxConnections());
        assertTrue(c.maxConnections() >= ServerConfig.MIN_DEFAULT_MAX_CONNECTIONS);
    }

    /** The help texts spell the defaults out (annotations need constants): they must match ServerConfig. */
    @Test void helpShowsTheRealDefaults() {
        String help = CliTest.run("--help").out().replaceAll("\\s+", " ");
        var d = ServerConfig.DEFAULT_TIMEOUTS;
        assertTrue(help.contains("then 408 and close (default: " + d.header().toSeconds() + "s)"), help);
        assertTrue(help.contains("abandoned (default: " + d.body().toSeconds() + "s)"), help);
        assertTrue(help.contains("after this long (default: " + d.idle().toSeconds() + "s)"), help);
        assertTrue(help.contains("is abandoned (default: " + d.write().toSeconds() + "s)"), help);
        assertTrue(help.contains("0 for no bound (default: " + d.minWriteRate() + ")"), help);
        assertTrue(help.contains("less an eighth (at least " + ServerConfig.FD_RESERVE + ") kept for files, at least "
                + ServerConfig.MIN_DEFAULT_MAX_CONNECTIONS), help);
    }

    @Test void durationsInEveryUnit() {
        ServerConfig c = config("-d", root.toString(), "--header-timeout", "500ms", "--body-timeout", "2m",
                "--idle-timeout", "7", "--write-timeout", "1h", "--max-connections", "5");
        assertEquals(Duration.ofMillis(500), c.timeouts().header());
        assertEquals(Duration.ofMinutes(2), c.timeouts().body());
        assertEquals(Duration.ofSeconds(7), c.timeouts().idle());
        assertEquals(Duration.ofHours(1), c.timeouts().write());
        assertEquals(5, c.maxConnections());
        assertEquals(100, config("-d", root.toString(), "--min-write-rate", "100").timeouts().minWriteRate());
        assertEquals(0, config("-d", root.toString(), "--min-write-rate", "0", "--write-timeout", "5s").timeouts().minWriteRate());
    }

    @Test void flagsOverrideTheConfigFileAndTheFileSetsTheRest() throws java.io.IOException {
        Path file = root.resolve("tenk.toml");
        java.nio.file.Files.writeString(file, "[timeouts]\nheader = \"3s\"\nidle = \"4s\"\n\n[limits]\nmax_connections = 77\n");
        ServerConfig fromFile = config("-d", root.toString(), "-c", file.toString());
        assertEquals(Duration.ofSeconds(3), fromFile.timeouts().header());
        assertEquals(77, fromFile.maxConnections());
        ServerConfig c = config("-d", root.toString(), "-c", file.toString(), "--idle-timeout", "1s", "--max-connections", "9");
        assertEquals(Duration.ofSeconds(3), c.timeouts().header());
        assertEquals(Duration.ofSeconds(1), c.timeouts().idle());
        assertEquals(ServerConfig.DEFAULT_TIMEOUTS.write(), c.timeouts().write());
        assertEquals(9, c.maxConnections());
    }

    @Test void defaultMaxConnectionsFollowsTheDescriptorLimit() {
        assertEquals(1024 - 128, ServerConfig.defaultMaxConnections(1024));
        assertEquals(20000 - 2500, ServerConfig.defaultMaxConnections(20000), "10,000 connections fit under ulimit -n 20000");
        assertEquals(256 - ServerConfig.FD_RESERVE, ServerConfig.defaultMaxConnections(256));
        assertEquals(ServerConfig.MIN_DEFAULT_MAX_CONNECTIONS, ServerConfig.defaultMaxConnections(64));
        long soft = ((com.sun.management.UnixOperatingSystemMXBean)
                java.lang.management.ManagementFactory.getOperatingSystemMXBean()).getMaxFileDescriptorCount();
        assertEquals(ServerConfig.defaultMaxConnections(soft), ServerConfig.defaultMaxConnections());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "--header-timeout|10 s", "--header-timeout|0s", "--header-timeout|-1s", "--header-timeout|abc",
            "--body-timeout|1.5s", "--idle-timeout|10x", "--write-timeout|''", "--write-timeout|25h",
            "--max-connections|0", "--max-connections|-3", "--max-connections|many",
            "--min-write-rate|-1", "--min-write-rate|fast"})
    void badValuesExit2WithOneLine(String option, String value) {
        CliTest.Run r = CliTest.run("-d", root.toString(), option, value);
        assertEquals(Cli.USAGE, r.code(), r.err());
        assertEquals(1, r.err().lines().count(), r.err());
        assertTrue(r.err().startsWith("tenk: "), r.err());
        assertTrue(r.err().contains(option), r.err());
        assertEquals("", r.out());
    }
}
