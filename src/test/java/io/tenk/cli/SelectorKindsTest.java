package io.tenk.cli;

import io.tenk.config.ConfigException;
import io.tenk.config.ConfigFile;
import io.tenk.config.SelectorKind;
import io.tenk.config.ServerConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * --selector and [server] selector take every event mechanism, and name them all when given
 * another; --threads shares one set only when it is one-shot; --tcp-nopush and tcp_nopush;
 * --reuseport and reuseport, for the reactor only.
 */
class SelectorKindsTest {
    @TempDir Path dir;

    @Test void configFileTakesEveryKind() throws Exception {
        for (SelectorKind kind : SelectorKind.values()) {
            Path f = Files.writeString(dir.resolve("tenk.toml"), "[server]\nmodel = \"selector\"\nselector = \"" + kind.id() + "\"\n");
            assertEquals(kind, ConfigFile.load(f, ServerConfig.defaults(dir)).selector());
        }
        Path bad = Files.writeString(dir.resolve("tenk.toml"), "[server]\nselector = \"kqueue\"\n");
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigFile.load(bad, ServerConfig.defaults(dir)));
        assertTrue(e.getMessage().contains("epoll-et"), e.getMessage());
    }

    @Test void severalThreadsShareOnlyAOneShotSet() {
        CliTest.Run r = CliTest.run("-p", "0", "-d", dir.toString(), "--model", "selector", "--selector", "epoll-lt", "--threads", "2");
        assertEquals(1, r.code(), r.err());
        assertTrue(r.err().contains("--selector epoll-oneshot"), r.err());
        assertEquals(1, r.err().lines().count(), r.err());
    }

    @Test void tcpNopushIsOnOrOff() throws Exception {
        CliTest.Run r = CliTest.run("-p", "0", "-d", dir.toString(), "--tcp-nopush", "yes");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--tcp-nopush yes: expected on or off"), r.err());
        assertEquals(1, r.err().lines().count(), r.err());
        Path on = Files.writeString(dir.resolve("tenk.toml"), "[server]\ntcp_nopush = true\n");
        assertTrue(ConfigFile.load(on, ServerConfig.defaults(dir)).knobs().tcpNopush());
        assertEquals(ServerConfig.DEFAULT_TCP_NOPUSH, ServerConfig.defaults(dir).knobs().tcpNopush());
        Path bad = Files.writeString(dir.resolve("tenk.toml"), "[server]\ntcp_nopush = \"on\"\n");
        assertThrows(ConfigException.class, () -> ConfigFile.load(bad, ServerConfig.defaults(dir)));
    }

    @Test void reusePortIsOnOrOffAndForTheReactor() throws Exception {
        CliTest.Run r = CliTest.run("-p", "0", "-d", dir.toString(), "--reuseport", "yes");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--reuseport yes: expected on or off"), r.err());
        assertEquals(1, r.err().lines().count(), r.err());
        CliTest.Run other = CliTest.run("-p", "0", "-d", dir.toString(), "--model", "threads", "--reuseport", "on");
        assertEquals(2, other.code(), other.err());
        assertTrue(other.err().contains("--model threads has one listening socket"), other.err());
        assertEquals(1, other.err().lines().count(), other.err());
        Path on = Files.writeString(dir.resolve("tenk.toml"), "[server]\nreuseport = true\n");
        assertTrue(ConfigFile.load(on, ServerConfig.defaults(dir)).knobs().listenPerLoop());
        assertTrue(!ServerConfig.defaults(dir).knobs().listenPerLoop(), "off by default");
    }

    @Test void unknownFlagValueNamesEveryKind() {
        CliTest.Run r = CliTest.run("-p", "0", "-d", dir.toString(), "--selector", "kqueue");
        assertEquals(2, r.code());
        for (SelectorKind kind : SelectorKind.values()) assertTrue(r.err().contains(kind.id()), r.err());
        assertEquals(1, r.err().lines().count(), r.err());
    }
}
