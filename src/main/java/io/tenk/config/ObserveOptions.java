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
 * @param drainDelay how long a stopping server keeps accepting while {@code /readyz} already says
 *                   503, so that a load balancer's health check takes it out of the pool before
 *                   its listeners close (as a Kubernetes {@code preStop} sleep would); zero: none
 * @param countsForMaster count requests for a {@code prefork} master that reads the counts through
 *                   the worker's pipe (set in the workers of a master with an admin listener)
 */
public record ObserveOptions(Listen admin, Path accessFile, Path errorFile, Duration drainDelay, boolean countsForMaster) {
    public static final ObserveOptions NONE = new ObserveOptions(null, null, null, Duration.ZERO);

    public ObserveOptions {
        if (drainDelay == null) drainDelay = Duration.ZERO;
        if (drainDelay.isNegative()) throw new IllegalArgumentException("the drain delay cannot be negative");
    }

    public ObserveOptions(Listen admin, Path accessFile, Path errorFile) {
        this(admin, accessFile, errorFile, Duration.ZERO);
    }

    public ObserveOptions(Listen admin, Path accessFile, Path errorFile, Duration drainDelay) {
        this(admin, accessFile, errorFile, drainDelay, false);
    }

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

    public ObserveOptions withAdmin(Listen a) { return new ObserveOptions(a, accessFile, errorFile, drainDelay, countsForMaster); }

    public ObserveOptions withAccessFile(Path p) { return new ObserveOptions(admin, p, errorFile, drainDelay, countsForMaster); }

    public ObserveOptions withErrorFile(Path p) { return new ObserveOptions(admin, accessFile, p, drainDelay, countsForMaster); }

    public ObserveOptions withDrainDelay(Duration d) { return new ObserveOptions(admin, accessFile, errorFile, d, countsForMaster); }

    /** A prefork worker's options: nothing of its own, counting for its master if {@code master} has an admin listener. */
    public static ObserveOptions forWorkerOf(ObserveOptions master) {
        return new ObserveOptions(null, null, null, Duration.ZERO, master.admin() != null);
    }
}
