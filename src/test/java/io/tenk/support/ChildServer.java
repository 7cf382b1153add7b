package io.tenk.support;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code tenk} run as a child process ({@link ChildJvm}), as a user would run it (port 0, the
 * access log off), for tests that need its exit status or other processes (prefork). Its
 * stderr goes to a file; its stdout is drained.
 */
public final class ChildServer implements AutoCloseable {
    private final Process process;
    private final Path stderr;
    private final InetSocketAddress address;
    private final String banner;

    private ChildServer(Process process, Path stderr, InetSocketAddress address, String banner) {
        this.process = process;
        this.stderr = stderr;
        this.address = address;
        this.banner = banner;
    }

    /**
     * Starts {@code tenk -p 0 -q -d ROOT ARGS...} with the JVM options {@code jvm} and waits for
     * its banner. {@code dir} holds its stderr.
     */
    public static ChildServer start(Path dir, Path root, List<String> jvm, List<String> args) throws IOException {
        return start(dir, root, jvm, args, true);
    }

    /** As {@link #start(Path, Path, List, List)}, with the access log on unless {@code quiet}. */
    public static ChildServer start(Path dir, Path root, List<String> jvm, List<String> args, boolean quiet) throws IOException {
        return start(dir, root, jvm, args, quiet, 0);
    }

    /** As {@link #start(Path, Path, List, List, boolean)}, listening on {@code port} (0: any free one). */
    public static ChildServer start(Path dir, Path root, List<String> jvm, List<String> args, boolean quiet, int port)
            throws IOException {
        List<String> cmd = new ArrayList<>(ChildJvm.command(jvm));
        cmd.addAll(List.of("-p", String.valueOf(port)));
        if (root != null) cmd.addAll(List.of("-d", root.toString())); // null: the config file names the sites
        if (quiet) cmd.add("-q");
        cmd.addAll(args);
        Path stderr = Files.createTempFile(dir, "stderr", ".txt");
        JvmStarts.Started started = JvmStarts.process(new ProcessBuilder(cmd).redirectError(stderr.toFile()));
        Process p = started.process();
        String first = started.first();
        Matcher m = Pattern.compile("127\\.0\\.0\\.1:(\\d+)/").matcher(first == null ? "" : first);
        if (!m.find()) {
            p.destroyForcibly();
            throw new IOException("tenk did not start: " + first + " / " + Files.readString(stderr));
        }
        started.drain();
        return new ChildServer(p, stderr, new InetSocketAddress("127.0.0.1", Integer.parseInt(m.group(1))), first);
    }

    public InetSocketAddress address() { return address; }

    /** The admin listener's address, as the start line names it ({@code --admin}); null when there is none. */
    public InetSocketAddress adminAddress() {
        Matcher m = Pattern.compile("admin on http://127\\.0\\.0\\.1:(\\d+)/").matcher(banner);
        return m.find() ? new InetSocketAddress("127.0.0.1", Integer.parseInt(m.group(1))) : null;
    }

    public Process process() { return process; }

    /** Sends it signal {@code name} ({@code HUP}, {@code USR1}, ...) with kill(1). */
    public void signal(String name) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start();
        if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) throw new IOException("kill -" + name + " failed");
    }

    /** The pids of its child processes (prefork's workers). */
    public List<Long> children() {
        return process.children().filter(ProcessHandle::isAlive).map(ProcessHandle::pid).toList();
    }

    /** Its stderr so far, one entry per line. */
    public List<String> stderrLines() throws IOException {
        return Files.readAllLines(stderr, StandardCharsets.UTF_8);
    }

    /** Waits for it to exit; its exit status, or -1 when it still runs after {@code seconds}. */
    public int awaitExit(long seconds) throws InterruptedException {
        return process.waitFor(seconds, TimeUnit.SECONDS) ? process.exitValue() : -1;
    }

    /** Kills it and its children. */
    @Override public void close() throws InterruptedException {
        List<ProcessHandle> kids = process.descendants().toList();
        process.destroyForcibly();
        kids.forEach(ProcessHandle::destroyForcibly);
        process.waitFor(10, TimeUnit.SECONDS);
    }
}
