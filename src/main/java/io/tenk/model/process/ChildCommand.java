package io.tenk.model.process;

import io.tenk.model.prefork.WorkerCommand;

import java.util.ArrayList;
import java.util.List;

/**
 * The command line of a {@code process} child: tenk started as prefork's workers are
 * ({@link WorkerCommand#launch()}: this JVM's java and options, its class path or jar, the
 * server's arguments), plus {@link ChildConnection#FLAG}, with options for a JVM that lives for
 * one connection: the quick compiler only ({@code -XX:TieredStopAtLevel=1}: a third less CPU to
 * the first byte; the launcher's {@code -XX:-TieredCompilation}, which would leave the child only
 * the optimizing one, is dropped) and only for methods run ten times as often as by default
 * ({@code -XX:CompileThresholdScaling=10}: start-up code runs once, and compiling it cost more than
 * interpreting it: about 780 against 660 ms of CPU per connection for a 1 KiB page), no performance-data file, the serial collector unless one was chosen; and
 * without the options that write an archive at exit (each child would write its own).
 */
public final class ChildCommand {
    private static final List<String> WRITES_ARCHIVE = List.of("-XX:ArchiveClassesAtExit", "-XX:AOTCacheOutput",
            "-XX:AOTMode=record", "-XX:AOTMode=create", "-XX:AOTConfiguration", "-XX:+AutoCreateSharedArchive");

    private ChildCommand() {}

    public static List<String> of(List<String> serverArgs) {
        return of(WorkerCommand.launch(), serverArgs);
    }

    static List<String> of(WorkerCommand.Launch launch, List<String> serverArgs) {
        List<String> options = new ArrayList<>(launch.options());
        options.removeIf(a -> WRITES_ARCHIVE.stream().anyMatch(a::startsWith));
        if (options.stream().noneMatch(a -> a.startsWith("-XX:TieredStopAtLevel"))) {
            options.remove("-XX:-TieredCompilation"); // the server's own choice (the launcher's): the child wants the quick compiler
            options.add("-XX:TieredStopAtLevel=1");
            if (options.stream().noneMatch(a -> a.startsWith("-XX:CompileThresholdScaling"))) options.add("-XX:CompileThresholdScaling=10");
        }
        if (options.stream().noneMatch(a -> a.matches("-XX:\\+Use\\w+GC"))) options.add("-XX:+UseSerialGC");
        if (options.stream().noneMatch(a -> a.endsWith("UsePerfData"))) options.add("-XX:-UsePerfData");
        List<String> cmd = new WorkerCommand.Launch(launch.java(), options, launch.start()).command(serverArgs);
        cmd.add(ChildConnection.FLAG);
        return cmd;
    }
}
