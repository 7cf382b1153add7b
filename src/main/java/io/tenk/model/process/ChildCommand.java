package io.tenk.model.process;

import io.tenk.model.prefork.WorkerCommand;

import java.util.ArrayList;
import java.util.List;

/**
 * The command line of a {@code process} child: tenk started as prefork's workers are (this JVM's
 * java and options, a CDS archive among them when the launcher made one, its class path, the
 * server's arguments), plus {@link ChildConnection#FLAG}, with options for a JVM that lives for
 * one connection: the quick compiler only ({@code -XX:TieredStopAtLevel=1}: a third less CPU to
 * the first byte), no performance-data file, the serial collector unless one was chosen; and
 * without the options that write an archive at exit (each child would write its own).
 */
public final class ChildCommand {
    private static final List<String> WRITES_ARCHIVE = List.of("-XX:ArchiveClassesAtExit", "-XX:AOTCacheOutput",
            "-XX:AOTMode=record", "-XX:AOTMode=create", "-XX:AOTConfiguration", "-XX:+AutoCreateSharedArchive");

    private ChildCommand() {}

    public static List<String> of(List<String> serverArgs) {
        List<String> tenk = WorkerCommand.tenk(serverArgs);
        int main = tenk.indexOf(WorkerCommand.MAIN_CLASS);
        List<String> cmd = new ArrayList<>(tenk.subList(0, main));
        cmd.removeIf(a -> WRITES_ARCHIVE.stream().anyMatch(a::startsWith));
        if (cmd.stream().noneMatch(a -> a.startsWith("-XX:TieredStopAtLevel"))) cmd.add("-XX:TieredStopAtLevel=1");
        if (cmd.stream().noneMatch(a -> a.matches("-XX:\\+Use\\w+GC"))) cmd.add("-XX:+UseSerialGC");
        if (cmd.stream().noneMatch(a -> a.endsWith("UsePerfData"))) cmd.add("-XX:-UsePerfData");
        cmd.addAll(tenk.subList(main, tenk.size()));
        cmd.add(ChildConnection.FLAG);
        return cmd;
    }
}
