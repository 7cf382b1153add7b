package io.tenk.model.process;

import io.tenk.model.prefork.WorkerCommand;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A process child starts as a prefork worker would, from the jar when the server was started from
 * it (the launcher) and from the class path otherwise, with the options of a JVM that lives for
 * one connection and without those that would write an archive at its exit.
 */
class ChildCommandTest {
    static final String JAVA = "/jdk/bin/java";

    @Test void fromAJar() {
        WorkerCommand.Launch jar = new WorkerCommand.Launch(JAVA, List.of("-Xmx256m", "-XX:+UseSerialGC", "-XX:AOTCacheOutput=t.aot"),
                List.of("-jar", "/opt/tenk.jar"));
        assertEquals(List.of(JAVA, "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-XX:CompileThresholdScaling=10",
                "-XX:-UsePerfData", "-jar", "/opt/tenk.jar", "-p", "80", ChildConnection.FLAG), ChildCommand.of(jar, List.of("-p", "80")));
    }

    @Test void theLaunchersOptimizingCompilerAloneGivesWayToTheQuickOne() {
        WorkerCommand.Launch jar = new WorkerCommand.Launch(JAVA, List.of("-Xmn2m", "-XX:-TieredCompilation", "-XX:+UseSerialGC"),
                List.of("-jar", "/opt/tenk.jar"));
        assertEquals(List.of(JAVA, "-Xmn2m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-XX:CompileThresholdScaling=10",
                "-XX:-UsePerfData", "-jar", "/opt/tenk.jar", "-p", "80", ChildConnection.FLAG), ChildCommand.of(jar, List.of("-p", "80")));
    }

    @Test void fromAClassPath() {
        WorkerCommand.Launch cp = new WorkerCommand.Launch(JAVA, List.of("-XX:TieredStopAtLevel=4", "-XX:+UsePerfData"),
                List.of("-cp", "classes", WorkerCommand.MAIN_CLASS));
        assertEquals(List.of(JAVA, "-XX:TieredStopAtLevel=4", "-XX:+UsePerfData", "-XX:+UseSerialGC",
                "-cp", "classes", WorkerCommand.MAIN_CLASS, "-p", "80", ChildConnection.FLAG), ChildCommand.of(cp, List.of("-p", "80")));
    }
}
