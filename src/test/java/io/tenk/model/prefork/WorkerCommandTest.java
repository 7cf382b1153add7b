package io.tenk.model.prefork;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.io.File;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A server started with {@code java -jar} starts its children the same way, so their command
 * line matches the one its ahead-of-time cache was recorded with; one started from a class path
 * (tests, an IDE) starts them with {@code -cp} and the exports the manifest would have granted;
 * {@code tenk.child.jar} and {@code tenk.child.options} replace the jar or class path and the
 * options (a program that embeds tenk).
 */
class WorkerCommandTest {
    static final String JAVA = "/jdk/bin/java";

    @Test void aJarStartedServerIsRecognised() {
        assertTrue(WorkerCommand.startedFromJar("/opt/tenk/lib/tenk.jar", "/opt/tenk/lib/tenk.jar -p 8080 -d /srv"));
        assertTrue(WorkerCommand.startedFromJar("/opt/tenk/lib/tenk.jar", "/opt/tenk/lib/tenk.jar"));
    }

    @Test void aClassPathStartedServerIsNot() {
        assertFalse(WorkerCommand.startedFromJar("/opt/tenk/lib/tenk.jar", "io.tenk.cli.Main -p 8080"));
        assertFalse(WorkerCommand.startedFromJar("target/classes" + File.pathSeparator + "dep.jar", "io.tenk.cli.Main"));
        assertFalse(WorkerCommand.startedFromJar("target/classes", "target/classes"));
        assertFalse(WorkerCommand.startedFromJar(null, ""));
    }

    @Test void aJarStartedServerStartsChildrenFromItsJarWithItsOptionsLessAnAgent() {
        WorkerCommand.Launch l = WorkerCommand.launch(JAVA, List.of("-Xmx256m", "-agentlib:jdwp=transport=dt_socket", "-XX:AOTCache=t.aot"),
                "/opt/tenk.jar", "/opt/tenk.jar -p 80", null, null);
        assertEquals(List.of(JAVA, "-Xmx256m", "-XX:AOTCache=t.aot", "-jar", "/opt/tenk.jar", "-p", "81"), l.command(List.of("-p", "81")));
    }

    @Test void aClassPathStartedServerStartsChildrenFromItsClassPathWithTheManifestsGrants() {
        String cp = "target/classes" + File.pathSeparator + "dep.jar";
        WorkerCommand.Launch l = WorkerCommand.launch(JAVA, List.of("-Xmx512m"), cp, "io.tenk.cli.Main -p 80", "", " ");
        assertEquals(List.of(JAVA, "-Xmx512m", "--add-exports", "java.base/sun.nio.ch=ALL-UNNAMED", "--enable-native-access=ALL-UNNAMED",
                "-cp", cp, WorkerCommand.MAIN_CLASS, "-p", "81"), l.command(List.of("-p", "81")));
    }

    @Test void theChildJarAndOptionsReplaceThisJvmsClassPathAndOptions() {
        WorkerCommand.Launch l = WorkerCommand.launch(JAVA, List.of("-Xmx512m", "-XX:+EnableDynamicAgentLoading"),
                "target/classes" + File.pathSeparator + "dep.jar", "io.tenk.cli.Main", "/opt/tenk.jar", " -Xmx64m  -XX:+UseSerialGC\n");
        assertEquals(List.of(JAVA, "-Xmx64m", "-XX:+UseSerialGC", "-jar", "/opt/tenk.jar", "-p", "81"), l.command(List.of("-p", "81")));
        // the options alone: the class path stays, with the manifest's grants
        l = WorkerCommand.launch(JAVA, List.of("-Xmx512m"), "target/classes", "io.tenk.cli.Main", null, "-Xmx64m");
        assertEquals(List.of("-Xmx64m", "--add-exports", "java.base/sun.nio.ch=ALL-UNNAMED", "--enable-native-access=ALL-UNNAMED"), l.options());
        assertEquals(List.of("-cp", "target/classes", WorkerCommand.MAIN_CLASS), l.start());
    }
}
