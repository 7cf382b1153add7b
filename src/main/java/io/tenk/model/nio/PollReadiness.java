package io.tenk.model.nio;

import io.tenk.conn.Step;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.List;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * poll(2) called directly: no limit on descriptor numbers, but every wait hands the kernel the
 * whole list again (one {@code struct pollfd} per connection, rebuilt each pass) and the loop
 * then scans it all for the few that are ready: O(open) work per wait, however few are ready.
 */
final class PollReadiness extends NativeReadiness {
    private final Arena arena = Arena.ofShared();
    private MemorySegment fds = arena.allocate(64 * Native.POLLFD_BYTES, 8);
    private Registration[] slots = new Registration[64]; // the connection behind each pollfd of this pass

    PollReadiness() throws IOException { }

    @Override public void add(Registration r) throws IOException {
        track(r);
        r.interest = Native.POLLIN;
    }

    @Override public void waitFor(Registration r, Step step) {
        r.interest = step == Step.WRITE ? Native.POLLOUT : Native.POLLIN;
    }

    @Override public void remove(Registration r) { untrack(r); }

    @Override public void poll(long timeoutNanos, List<Registration> all, Events events) throws IOException {
        int n = all.size() + 2;
        if (n > slots.length) {
            int size = Math.max(n, slots.length * 2);
            slots = new Registration[size];
            fds = arena.allocate(size * Native.POLLFD_BYTES, 8);
        }
        int count = 0;
        count = entry(count, wakeFd, Native.POLLIN, null);
        if (serverFd >= 0 && accepting) count = entry(count, serverFd, Native.POLLIN, null);
        for (Registration r : all) count = entry(count, r.fd, (short) r.interest, r);
        int ready = Native.poll(fds, count, millis(timeoutNanos));
        if (ready == -Native.EINTR) return;
        if (ready < 0) throw new IOException("poll failed (errno " + -ready + ")");
        boolean acceptable = false;
        for (int i = 0; i < count && ready > 0; i++) {
            if (fds.get(JAVA_SHORT, i * Native.POLLFD_BYTES + 6) == 0) continue;
            ready--;
            Registration r = slots[i];
            if (r != null) {
                events.ready(r); // a no-op for one closed earlier in this pass
            } else if (fds.get(JAVA_INT, i * Native.POLLFD_BYTES) == wakeFd) {
                Native.drain(wakeFd);
            } else {
                acceptable = true;
            }
        }
        Arrays.fill(slots, 0, count, null); // no connection outlives its pass here
        if (acceptable && accepting) events.acceptable();
    }

    private int entry(int i, int fd, short events, Registration r) {
        long at = i * Native.POLLFD_BYTES;
        fds.set(JAVA_INT, at, fd);
        fds.set(JAVA_SHORT, at + 4, events);
        fds.set(JAVA_SHORT, at + 6, (short) 0);
        slots[i] = r;
        return i + 1;
    }

    @Override protected void release() { arena.close(); }
}
