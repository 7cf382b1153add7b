package io.tenk.model.process;

import java.io.IOException;
import java.lang.foreign.AddressLayout;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * The system calls of {@code process} the JDK does not offer, through the FFM API (no JNI, no
 * library): {@code posix_spawn} with file actions (the socket onto the child's stdin, every
 * other descriptor closed), {@code waitid}, {@code waitpid}, {@code kill}, {@code pipe}, {@code write},
 * {@code close} and {@code getpeername}. Linux on x86-64 and aarch64 with glibc 2.34 or newer (for
 * {@code posix_spawn_file_actions_addclosefrom_np}); {@link #UNAVAILABLE} says why not elsewhere.
 */
final class Posix {
    static final int SIGKILL = 9;
    private static final int EINTR = 4;
    private static final int P_PID = 1, WEXITED = 4, WNOWAIT = 0x01000000;
    private static final long SIGINFO_SIZE = 128;
    private static final short POSIX_SPAWN_SETPGROUP = 0x02, POSIX_SPAWN_SETSIGMASK = 0x08;
    private static final int AF_INET = 2, AF_INET6 = 10;
    /** Opaque glibc types, allocated larger than they are (80, 336 and 128 bytes on both architectures). */
    private static final long FILE_ACTIONS_SIZE = 256, SPAWNATTR_SIZE = 512, SIGSET_SIZE = 128, SOCKADDR_SIZE = 128;

    private static final boolean PLATFORM = System.getProperty("os.name").equals("Linux")
            && List.of("amd64", "aarch64").contains(System.getProperty("os.arch"));
    private static final Linker LINKER = PLATFORM ? Linker.nativeLinker() : null;
    private static final StructLayout CAPTURE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CAPTURE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final ValueLayout.OfInt I = ValueLayout.JAVA_INT;
    private static final AddressLayout A = ValueLayout.ADDRESS;

    private static final MethodHandle SPAWN = libc("posix_spawn", FunctionDescriptor.of(I, A, A, A, A, A, A), false),
            FA_INIT = libc("posix_spawn_file_actions_init", FunctionDescriptor.of(I, A), false),
            FA_DUP2 = libc("posix_spawn_file_actions_adddup2", FunctionDescriptor.of(I, A, I, I), false),
            FA_CLOSEFROM = libc("posix_spawn_file_actions_addclosefrom_np", FunctionDescriptor.of(I, A, I), false),
            FA_DESTROY = libc("posix_spawn_file_actions_destroy", FunctionDescriptor.of(I, A), false),
            ATTR_INIT = libc("posix_spawnattr_init", FunctionDescriptor.of(I, A), false),
            ATTR_FLAGS = libc("posix_spawnattr_setflags", FunctionDescriptor.of(I, A, ValueLayout.JAVA_SHORT), false),
            ATTR_SIGMASK = libc("posix_spawnattr_setsigmask", FunctionDescriptor.of(I, A, A), false),
            ATTR_DESTROY = libc("posix_spawnattr_destroy", FunctionDescriptor.of(I, A), false),
            WAITPID = libc("waitpid", FunctionDescriptor.of(I, I, A, I), true),
            WAITID = libc("waitid", FunctionDescriptor.of(I, I, I, A, I), true),
            KILL = libc("kill", FunctionDescriptor.of(I, I, I), true),
            PIPE = libc("pipe", FunctionDescriptor.of(I, A), true),
            WRITE = libc("write", FunctionDescriptor.of(ValueLayout.JAVA_LONG, I, A, ValueLayout.JAVA_LONG), true),
            CLOSE = libc("close", FunctionDescriptor.of(I, I), false),
            GETPEERNAME = libc("getpeername", FunctionDescriptor.of(I, I, A, A), true);
    /** The process's environment ({@code char **environ}), null where the C library is out of reach. */
    private static final MemorySegment ENVIRON = PLATFORM
            ? LINKER.defaultLookup().find("environ").map(e -> e.reinterpret(A.byteSize())).orElse(null) : null;

    /** Why the calls cannot be made here (null when they can). */
    static final String UNAVAILABLE = !PLATFORM
            ? "the process model runs on Linux (x86-64 or aarch64) only, not on " + System.getProperty("os.name")
                    + " " + System.getProperty("os.arch")
            : Stream.of(SPAWN, FA_INIT, FA_DUP2, FA_CLOSEFROM, FA_DESTROY, ATTR_INIT, ATTR_FLAGS, ATTR_SIGMASK, ATTR_DESTROY,
                    WAITPID, WAITID, KILL, PIPE, WRITE, CLOSE, GETPEERNAME).anyMatch(Objects::isNull) || ENVIRON == null
            ? "the process model needs the C library's posix_spawn_file_actions_addclosefrom_np (glibc 2.34 or newer)"
            : null;

    /** A downcall to the C library's {@code name} (capturing errno when asked), or null where there is none. */
    private static MethodHandle libc(String name, FunctionDescriptor d, boolean errno) {
        if (!PLATFORM) return null;
        try {
            return LINKER.defaultLookup().find(name)
                    .map(f -> errno ? LINKER.downcallHandle(f, d, Linker.Option.captureCallState("errno")) : LINKER.downcallHandle(f, d))
                    .orElse(null);
        } catch (RuntimeException e) {
            return null;
        }
    }

    private Posix() {}

    /**
     * Starts {@code argv} (argv[0] an absolute path) with this process's environment, its
     * standard output and error, {@code stdin} as its standard input, {@code fd3} as its
     * descriptor 3, no other descriptor of ours, no signal blocked, in a process group of its own
     * (a Ctrl-C reaches the parent, which tells its children). Returns the child's pid.
     */
    static int spawn(List<String> argv, int stdin, int fd3) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment args = arena.allocate(ValueLayout.ADDRESS, argv.size() + 1);
            for (int k = 0; k < argv.size(); k++) args.setAtIndex(ValueLayout.ADDRESS, k, arena.allocateFrom(argv.get(k)));
            args.setAtIndex(ValueLayout.ADDRESS, argv.size(), MemorySegment.NULL);
            MemorySegment actions = arena.allocate(FILE_ACTIONS_SIZE, 16);
            MemorySegment attr = arena.allocate(SPAWNATTR_SIZE, 16);
            MemorySegment mask = arena.allocate(SIGSET_SIZE, 16); // zeroed: the empty set
            MemorySegment pid = arena.allocate(ValueLayout.JAVA_INT);
            check("posix_spawn_file_actions_init", (int) FA_INIT.invokeExact(actions));
            try {
                check("posix_spawn_file_actions_adddup2", (int) FA_DUP2.invokeExact(actions, stdin, 0));
                check("posix_spawn_file_actions_adddup2", (int) FA_DUP2.invokeExact(actions, fd3, 3));
                check("posix_spawn_file_actions_addclosefrom_np", (int) FA_CLOSEFROM.invokeExact(actions, 4));
                check("posix_spawnattr_init", (int) ATTR_INIT.invokeExact(attr));
                try {
                    check("posix_spawnattr_setsigmask", (int) ATTR_SIGMASK.invokeExact(attr, mask));
                    check("posix_spawnattr_setflags", (int) ATTR_FLAGS.invokeExact(attr, (short) (POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK)));
                    MemorySegment env = ENVIRON.get(ValueLayout.ADDRESS, 0);
                    check("posix_spawn", (int) SPAWN.invokeExact(pid, args.getAtIndex(ValueLayout.ADDRESS, 0), actions, attr, args, env));
                    return pid.get(ValueLayout.JAVA_INT, 0);
                } finally {
                    int ignored = (int) ATTR_DESTROY.invokeExact(attr);
                }
            } finally {
                int ignored = (int) FA_DESTROY.invokeExact(actions);
            }
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IOException("posix_spawn failed", t);
        }
    }

    /**
     * Waits for child {@code pid} to end, without reaping it: its pid stays taken (a zombie) until
     * {@link #waitFor}, so a signal sent to it meanwhile cannot reach another process.
     */
    static void awaitExit(int pid) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CAPTURE);
            MemorySegment info = arena.allocate(SIGINFO_SIZE, 8);
            while ((int) WAITID.invokeExact(state, P_PID, pid, info, WEXITED | WNOWAIT) != 0) {
                if (errno(state) != EINTR) throw new IOException("waitid " + pid + " failed (errno " + errno(state) + ")");
            }
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IOException("waitid failed", t);
        }
    }

    /** Waits for child {@code pid} to end and reaps it (one call per child); returns its wait status ({@link #describe}). */
    static int waitFor(int pid) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CAPTURE);
            MemorySegment status = arena.allocate(ValueLayout.JAVA_INT);
            while (true) {
                int r = (int) WAITPID.invokeExact(state, pid, status, 0);
                if (r == pid) return status.get(ValueLayout.JAVA_INT, 0);
                int e = errno(state);
                if (r < 0 && e == EINTR) continue;
                throw new IOException("waitpid " + pid + " failed (errno " + e + ")");
            }
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IOException("waitpid failed", t);
        }
    }

    /** How a wait status ended: "exited with status N" or "killed by signal N". */
    static String describe(int status) {
        int signal = status & 0x7f;
        return signal == 0 ? "exited with status " + ((status >> 8) & 0xff) : "killed by signal " + signal;
    }

    /** Sends {@code signal} to {@code pid}; false when it is gone already. */
    static boolean kill(int pid, int signal) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CAPTURE);
            return (int) KILL.invokeExact(state, pid, signal) == 0;
        } catch (Throwable t) {
            return false;
        }
    }

    /** A pipe: {read end, write end}. */
    static int[] pipe() throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CAPTURE);
            MemorySegment fds = arena.allocate(ValueLayout.JAVA_INT, 2);
            if ((int) PIPE.invokeExact(state, fds) != 0) throw new IOException("pipe failed (errno " + errno(state) + ")");
            return new int[] {fds.getAtIndex(ValueLayout.JAVA_INT, 0), fds.getAtIndex(ValueLayout.JAVA_INT, 1)};
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IOException("pipe failed", t);
        }
    }

    /** Writes {@code n} zero bytes to {@code fd} (a pipe), blocking while it is full. */
    static void writeZeros(int fd, int n) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CAPTURE);
            MemorySegment zeros = arena.allocate(Math.max(1, n));
            long done = 0;
            while (done < n) {
                long w = (long) WRITE.invokeExact(state, fd, zeros.asSlice(done), n - done);
                if (w > 0) done += w;
                else if (w < 0 && errno(state) != EINTR) throw new IOException("write failed (errno " + errno(state) + ")");
            }
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IOException("write failed", t);
        }
    }

    static void close(int fd) {
        try {
            int ignored = (int) CLOSE.invokeExact(fd);
        } catch (Throwable t) {
            // closing is best effort
        }
    }

    /** The address of the peer of socket {@code fd} (null when it is not a connected IPv4 or IPv6 socket). */
    static InetSocketAddress peer(int fd) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CAPTURE);
            MemorySegment sa = arena.allocate(SOCKADDR_SIZE, 8);
            MemorySegment len = arena.allocate(ValueLayout.JAVA_INT);
            len.set(ValueLayout.JAVA_INT, 0, (int) SOCKADDR_SIZE);
            if ((int) GETPEERNAME.invokeExact(state, fd, sa, len) != 0) return null;
            int family = Short.toUnsignedInt(sa.get(ValueLayout.JAVA_SHORT, 0));
            int port = ((sa.get(ValueLayout.JAVA_BYTE, 2) & 0xff) << 8) | (sa.get(ValueLayout.JAVA_BYTE, 3) & 0xff);
            byte[] ip;
            if (family == AF_INET) ip = sa.asSlice(4, 4).toArray(ValueLayout.JAVA_BYTE);
            else if (family == AF_INET6) ip = sa.asSlice(8, 16).toArray(ValueLayout.JAVA_BYTE);
            else return null;
            return new InetSocketAddress(InetAddress.getByAddress(ip), port);
        } catch (Throwable t) {
            return null;
        }
    }

    private static void check(String call, int result) throws IOException {
        if (result != 0) throw new IOException(call + " failed (error " + result + ")");
    }

    private static int errno(MemorySegment state) {
        return (int) ERRNO.get(state, 0L);
    }
}
