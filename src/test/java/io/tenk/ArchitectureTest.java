package io.tenk;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The architecture's rules ({@link ArchitectureRules}) hold for every source file: no package uses
 * a layer above it, conn/ names no socket or readiness type, model-specific code lives only in
 * model/, and the pure layers touch no sockets, threads or console.
 */
class ArchitectureTest {
    private static final Path SRC = Path.of("src/main/java/io/tenk");

    /** Known breaches, each to be mended rather than added to: none. */
    private static final List<String> KNOWN = List.of();

    @Test void everySourceFileKeepsTheRules() throws IOException {
        List<String> violations = new ArrayList<>();
        List<String> packages = new ArrayList<>();
        try (Stream<Path> s = Files.walk(SRC)) {
            for (Path f : s.filter(p -> p.toString().endsWith(".java")).sorted().toList()) {
                String text = Files.readString(f);
                String pkg = ArchitectureRules.packageOf(text);
                if (!packages.contains(pkg)) packages.add(pkg);
                violations.addAll(ArchitectureRules.violations(SRC.relativize(f).toString(), text));
            }
        }
        assertTrue(packages.containsAll(ArchitectureRules.LAYERS), "every layer was found: " + packages);
        assertEquals(KNOWN, violations);
    }

    @Test void aSessionThatImportsASocketTypeBreaksTheRules() {
        String conn = """
                package io.tenk.conn;

                import java.nio.channels.SocketChannel;

                final class Leaky { void f(SocketChannel ch) {} }
                """;
        assertBreaks(conn, "conn/ names a socket or channel type, SocketChannel", "model-specific code outside model/, SocketChannel");
        assertBreaks("package io.tenk.conn;\nimport java.net.Socket;\nclass S {}\n",
                "conn/ names a socket or channel type, Socket");
        assertBreaks("package io.tenk.conn;\nimport java.nio.channels.*;\nclass W {}\n",
                "conn/ names a socket or channel type, java.nio.channels.*");
    }

    @Test void aSessionMaySendFileRegions() {
        String conn = """
                package io.tenk.conn;

                import io.tenk.files.FileOpener;
                import java.nio.channels.FileChannel;
                import java.nio.channels.GatheringByteChannel;

                /** Not a java.net.Socket, nor a Selector. */
                final class Sender { void f(FileChannel file, GatheringByteChannel ch) { String s = "Socket"; } }
                """;
        assertBreaks(conn);
    }

    @Test void aTransportMayHoldAConnectedSocketButNotListenOrSelect() {
        assertBreaks("package io.tenk.transport;\nimport java.nio.channels.SocketChannel;\nclass T { SocketChannel ch; }\n");
        assertBreaks("package io.tenk.transport;\nclass A { java.nio.channels.ServerSocketChannel s; java.nio.channels.Selector sel; }\n",
                "model-specific code outside model/, ServerSocketChannel", "model-specific code outside model/, Selector");
        assertBreaks("package io.tenk.transport;\nclass U { io.tenk.model.Model m; }\n",
                "transport/ uses the layer above it, io.tenk.model.Model");
        assertBreaks("package io.tenk.conn;\nclass V { io.tenk.transport.SocketTransport t; }\n",
                "conn/ uses the layer above it, io.tenk.transport.SocketTransport",
                "conn/ names a socket or channel type, SocketTransport");
    }

    @Test void aLayerThatUsesOneAboveItBreaksTheRules() {
        assertBreaks("package io.tenk.http;\nimport io.tenk.files.FileOpener;\nclass P {}\n",
                "http/ uses the layer above it, io.tenk.files.FileOpener");
        assertBreaks("package io.tenk.conn;\nclass C { io.tenk.model.Model m; }\n",
                "conn/ uses the layer above it, io.tenk.model.Model");
        assertBreaks("package io.tenk.extra;\nclass N {}\n",
                "package 'extra' has no place in the layer order");
        assertBreaks("package io.tenk.model.nio;\nimport io.tenk.conn.Session;\nimport io.tenk.model.Model;\nclass M {}\n");
    }

    @Test void modelSpecificCodeOutsideModelBreaksTheRules() {
        assertBreaks("package io.tenk.observe;\nclass H { java.util.concurrent.ExecutorService e; }\n",
                "model-specific code outside model/, ExecutorService");
        assertBreaks("package io.tenk.cli;\nimport io.tenk.model.nio.EventLoop;\nclass Q {}\n",
                "outside model/, names a model family, io.tenk.model.nio");
        assertBreaks("package io.tenk.handler;\nclass R { void f() { System.out.println(); } }\n",
                "handler/ touches sockets, threads or the console, System.out");
    }

    /** Checks a made-up source file, X.java, against the rules: it breaks exactly {@code expected}. */
    private static void assertBreaks(String source, String... expected) {
        assertEquals(Arrays.stream(expected).map(e -> "X.java: " + e).toList(), ArchitectureRules.violations("X.java", source));
    }
}
