package io.tenk.transport;

import java.nio.channels.FileChannel;

/**
 * The file region a transport is sending corked (TCP_CORK set before the response head, cleared
 * with the region's last byte, nginx's {@code tcp_nopush}): what the plain transports keep to know
 * when to cork and when to let the last partial segment go. One region at a time.
 */
public final class CorkedRegion {
    private FileChannel file; // the region under way, or null
    private long end;

    /** Whether to cork now, before a head followed by {@code count} bytes of {@code file}: none under way. */
    public boolean begin(FileChannel file, long position, long count) {
        if (this.file != null || count <= 0) return false;
        this.file = file;
        this.end = position + count;
        return true;
    }

    /** Whether {@code sent} bytes of {@code file} from {@code position} ended the region: time to uncork. */
    public boolean ended(FileChannel file, long position, long sent) {
        if (this.file != file || position + sent < end) return false;
        this.file = null;
        return true;
    }
}
