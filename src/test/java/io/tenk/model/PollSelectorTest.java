package io.tenk.model;

import io.tenk.config.SelectorKind;
import io.tenk.config.SelectorKind;
import io.tenk.model.nio.Selectors;
import io.tenk.support.RawClient;
import io.tenk.support.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.channels.Selector;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** --selector poll opens the JDK's poll(2) Selector, and selector and reactor serve with it. */
class PollSelectorTest {
    @TempDir Path root;

    @Test void pollProviderOpensAPollSelector() throws Exception {
        try (Selector s = Selectors.provider(SelectorKind.POLL).openSelector()) {
            assertEquals("sun.nio.ch.PollSelectorImpl", s.getClass().getName());
        }
        try (Selector s = Selectors.provider(SelectorKind.EPOLL).openSelector()) {
            assertTrue(s.getClass().getName().contains("EPoll"), s.getClass().getName());
        }
    }

    @ParameterizedTest @ValueSource(strings = {"selector", "reactor"})
    void servesWithPoll(String model) throws Exception {
        Files.writeString(root.resolve("a.txt"), "alpha\n");
        try (TestServer server = TestServer.start(TestServer.config(root, model).with(b -> b.selector(SelectorKind.POLL).accessLog(false)));
             RawClient a = server.connect(); RawClient b = server.connect()) {
            for (int i = 0; i < 3; i++) {
                assertEquals("alpha\n", a.send("GET /a.txt HTTP/1.1\r\nHost: x\r\n\r\n").read().bodyText());
                assertEquals("alpha\n", b.send("GET /a.txt HTTP/1.1\r\nHost: x\r\n\r\n").read().bodyText());
            }
        }
    }
}
