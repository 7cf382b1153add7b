package io.tenk.model.prefork;

import org.junit.jupiter.api.Test;

import java.io.File;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A server started with {@code java -jar} starts its children the same way, so their command
 * line matches the one its ahead-of-time cache was recorded with; one started from a class path
 * (tests, an IDE) starts them with {@code -cp} and the exports the manifest would have granted.
 */
class WorkerCommandTest {

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

    @Test void thisTestJvmStartsChildrenFromItsClassPath() {
        assertTrue(WorkerCommand.tenk(java.util.List.of("--version")).contains("-cp"));
    }
}
