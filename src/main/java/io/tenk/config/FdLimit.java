package io.tenk.config;

import java.lang.management.ManagementFactory;

/** The process's soft limit on open file descriptors (RLIMIT_NOFILE), as the JVM reports it. */
final class FdLimit {
    private FdLimit() {}

    /** The soft limit, or -1 when the platform does not say (non-Unix JVMs). */
    static long soft() {
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
