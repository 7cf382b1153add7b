package io.tenk.config;

import com.sun.management.UnixOperatingSystemMXBean;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FdLimitTest {
    @Test
    void theSoftLimitIsTheOneTheJvmReports() {
        var os = (UnixOperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        assertEquals(os.getMaxFileDescriptorCount(), FdLimit.soft());
    }

    @Test
    void keptFileDescriptorsStayWithinWhatConnectionsLeave() {
        assertEquals(512, ServerConfig.keptFiles(1 << 20), "nginx's open_file_cache max=");
        assertEquals(64, ServerConfig.keptFiles(1024), "half of the 128 a limit of 1,024 keeps back from connections");
        assertEquals(8, ServerConfig.keptFiles(64));
        assertEquals(512, ServerConfig.keptFiles(-1), "a limit the platform does not say");
        for (long limit : new long[] {256, 1024, 4096, 20000, 1 << 20}) {
            long keptBack = limit - ServerConfig.defaultMaxConnections(limit);
            assertTrue(ServerConfig.keptFiles(limit) <= keptBack / 2, "limit " + limit);
        }
    }
}
