package io.tenk.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Where an operator looks inside the server.
 *
 * @param admin      the admin listener's address ({@code /metrics}, {@code /healthz}, {@code /readyz});
 *                   null: none (the default)
 * @param accessFile the file the access log is appended to; null: stdout
 * @param errorFile  the file the error log is appended to; null: stderr
 * @param stopDelay  on stop, how long {@code /readyz} answers 503 before the listening sockets
 *                   close, so that load balancers stop sending first (zero: they close at once)
 */
public record ObserveOptions(Listen admin, Path accessFile, Path errorFile, Duration stopDelay) {
    public static final ObserveOptions NONE = new ObserveOptions(null, null, null, Duration.ZERO);

    /**
     * What is wrong with {@code file} as a log file (to be created or appended to), in a few words;
     * null when nothing is. Whether it can be written is found when it is opened.
     */
    public static String logFileProblem(Path file) {
        if (Files.isDirectory(file)) return file + " is a directory";
        Path dir = file.toAbsolutePath().getParent();
        if (dir == null || !Files.isDirectory(dir)) return "directory " + dir + " does not exist";
        return null;
    }

    public ObserveOptions withAdmin(Listen a) { return new ObserveOptions(a, accessFile, errorFile, stopDelay); }

    public ObserveOptions withAccessFile(Path p) { return new ObserveOptions(admin, p, errorFile, stopDelay); }

    public ObserveOptions withErrorFile(Path p) { return new ObserveOptions(admin, accessFile, p, stopDelay); }

    public ObserveOptions withStopDelay(Duration d) { return new ObserveOptions(admin, accessFile, errorFile, d); }
}
