package io.tenk.config;

import io.tenk.http.Limits;
import io.tenk.observe.AccessLog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** One representation, checked when built: no change drops data, and invalid values never make a config. */
class ServerConfigTest {
    @TempDir Path dir;

    private static final List<Listen> TWO = List.of(new Listen("127.0.0.1", 8080), new Listen("::1", 8080));

    /** Every change the builder offers that does not name the listen addresses. */
    private Map<String, Consumer<ServerConfig.Builder>> changes() {
        Map<String, Consumer<ServerConfig.Builder>> m = new LinkedHashMap<>();
        m.put("model", b -> b.model(ModelKind.POOL));
        m.put("threads", b -> b.threads(3));
        m.put("queue", b -> b.queue(7));
        m.put("selector", b -> b.selector(SelectorKind.POLL));
        m.put("workers", b -> b.workers(2));
        m.put("tcpNopush", b -> b.tcpNopush(!ServerConfig.DEFAULT_TCP_NOPUSH));
        m.put("workerArgs", b -> b.workerArgs(List.of("-p", "0")));
        m.put("limits", b -> b.limits(new Limits(1024, 2048, 10)));
        m.put("timeouts", b -> b.timeouts(ServerConfig.DEFAULT_TIMEOUTS.withMinWriteRate(0)));
        m.put("accessLog", b -> b.accessLog(false));
        m.put("debug", b -> b.debug(true));
        m.put("maxConnections", b -> b.maxConnections(5));
        m.put("logFormat", b -> b.logFormat(AccessLog.Format.JSON));
        m.put("liveReload", b -> b.liveReload(true));
        m.put("siteOptions", b -> b.siteOptions(o -> o.with(s -> s.spa(true))));
        m.put("site", b -> b.site(ServerConfig.defaultSiteOptions(dir)));
        m.put("sites", b -> b.sites(List.of(Site.serving(dir))));
        return m;
    }

    @Test void twoListenAddressesSurviveEveryChange() {
        ServerConfig two = ServerConfig.defaults(dir).with(b -> b.listen(TWO));
        assertEquals(TWO, two.listen());
        changes().forEach((name, change) -> assertEquals(TWO, two.with(change).listen(), name));
        assertEquals(List.of(new Listen("127.0.0.1", 0), new Listen("::1", 0)), two.with(b -> b.port(0)).listen(),
                "a port moves every address");
        assertEquals(List.of(new Listen("127.0.0.1", 0), new Listen("::1", 0)),
                two.with(b -> b.preforkWorker(0)).listen(), "a prefork worker listens where its master does");
    }

    @Test void aPreforkWorkerRunsOneLoopUnlessTold() {
        ServerConfig d = ServerConfig.defaults(dir);
        assertEquals(1, d.with(b -> b.preforkWorker(0)).reactorLoops(), "one loop per worker, the workers one per core");
        assertEquals(3, d.with(b -> b.threads(3).preforkWorker(0)).reactorLoops(), "--threads given to the master holds");
        assertEquals(Runtime.getRuntime().availableProcessors(), d.reactorLoops(), "the reactor alone: a loop per core");
    }

    @Test void siteOptionsChangeEverySiteAndKeepThem() throws Exception {
        Path a = Files.createDirectories(dir.resolve("a"));
        Site one = new Site(List.of("a.test"), ServerConfig.defaultSiteOptions(a), null, List.of());
        Site two = Site.serving(dir);
        ServerConfig c = ServerConfig.defaults(dir).with(b -> b.sites(List.of(one, two)).siteOptions(o -> o.with(s -> s.listing(false))));
        assertEquals(2, c.sites().size());
        assertEquals(List.of("a.test"), c.sites().get(0).names());
        assertTrue(c.sites().stream().noneMatch(s -> s.options().listing()));
        assertEquals(dir, c.root(), "the root is the default site's");
    }

    @Test void oneFolderIsOneDefaultSite() {
        ServerConfig c = ServerConfig.defaults(dir);
        assertEquals(List.of(Site.serving(dir)), c.sites());
        assertEquals(List.of(Site.ANY), c.defaultSite().names());
        assertEquals(dir, c.root());
        assertEquals(List.of(new Listen(ServerConfig.DEFAULT_BIND, ServerConfig.DEFAULT_PORT)), c.listen());
    }

    @Test void unknownModelAndSelectorAreRefusedWithTheMessageUsersSee() {
        ServerConfig base = ServerConfig.defaults(dir);
        var model = assertThrows(IllegalArgumentException.class, () -> base.with(b -> b.model(ModelKind.parse("forking"))));
        assertEquals("unknown model: forking", model.getMessage());
        var selector = assertThrows(IllegalArgumentException.class, () -> base.with(b -> b.selector(SelectorKind.parse("kqueue"))));
        assertEquals("unknown selector: kqueue (epoll, poll, select, native-poll, epoll-lt, epoll-et or epoll-oneshot)",
                selector.getMessage());
        assertEquals(ModelKind.PREFORK, ModelKind.parse("prefork"));
        assertEquals(SelectorKind.POLL, SelectorKind.parse("poll"));
        assertEquals("reactor", ServerConfig.DEFAULT_MODEL.id());
    }

    @Test void invalidValuesNeverMakeAConfig() {
        ServerConfig base = ServerConfig.defaults(dir);
        assertEquals("port 70000 is out of range (0-65535)",
                assertThrows(IllegalArgumentException.class, () -> base.with(b -> b.port(70000))).getMessage());
        assertEquals("--max-connections must be at least 1",
                assertThrows(IllegalArgumentException.class, () -> base.with(b -> b.maxConnections(0))).getMessage());
        assertEquals("--watch is for development and cannot run with --model prefork",
                assertThrows(IllegalArgumentException.class, () -> base.with(b -> b.liveReload(true).model(ModelKind.PREFORK))).getMessage());
        assertEquals("address 127.0.0.1:80 listed twice", assertThrows(IllegalArgumentException.class,
                () -> base.with(b -> b.listen(List.of(new Listen("127.0.0.1", 80), new Listen("127.0.0.1", 81))).port(80))).getMessage());
        assertThrows(IllegalArgumentException.class, () -> base.with(b -> b.listen(List.of())));
        assertThrows(IllegalArgumentException.class, () -> base.with(b -> b.sites(List.of())));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> base.with(b -> b.threads(10_001))).getMessage().contains("threads"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> base.with(b -> b.workers(-1))).getMessage().contains("workers"));
    }

    @Test void aChangeLeavesTheOriginalAlone() {
        ServerConfig base = ServerConfig.defaults(dir);
        ServerConfig changed = base.with(b -> b.accessLog(false).timeouts(ServerConfig.DEFAULT_TIMEOUTS.withMinWriteRate(0)));
        assertTrue(base.accessLog());
        assertEquals(ServerConfig.DEFAULT_TIMEOUTS, base.timeouts());
        assertEquals(Duration.ofSeconds(15), changed.timeouts().idle());
        assertEquals(base, base.with(b -> { }));
    }
}
