package io.tenk.config;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/** The process's soft limit on open file descriptors (RLIMIT_NOFILE). */
final class FdLimit {
    private static final Path LIMITS = Path.of("/proc/self/limits");

    private FdLimit() {}

    /**
     * The soft limit, or -1 when the platform does not say. Read from {@code /proc/self/limits}
     * where there is one: the JVM's management beans say the same, but loading them costs a start
     * some 40 ms.
     */
    static long soft() {
        if (Files.isReadable(LIMITS)) {
            try {
                for (String line : Files.readAllLines(LIMITS)) {
                    if (!line.startsWith("Max open files")) continue;
                    String soft = line.substring("Max open files".length()).strip().split("\\s+")[0];
                    return soft.equals("unlimited") ? Long.MAX_VALUE : Long.parseLong(soft);
                }
            } catch (IOException | RuntimeException e) {
                // unreadable or unexpected: ask the JVM below
            }
        }
        try {
            if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.UnixOperatingSystemMXBean unix) {
                return unix.getMaxFileDescriptorCount();
            }
        } catch (RuntimeException | LinkageError e) {
            // the management module is absent: fall through
        }
        return -1;
    }
}
