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

/** --selector and [server] selector take every event mechanism, and name them all when given another. */
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

    @Test void unknownFlagValueNamesEveryKind() {
        CliTest.Run r = CliTest.run("-p", "0", "-d", dir.toString(), "--selector", "kqueue");
        assertEquals(2, r.code());
        for (SelectorKind kind : SelectorKind.values()) assertTrue(r.err().contains(kind.id()), r.err());
        assertEquals(1, r.err().lines().count(), r.err());
    }
}
