package io.tenk.files;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * Opens a file found by {@link PathResolver} so that what is opened is what was checked: a
 * regular file beneath the document root, reached without following any symbolic link.
 *
 * <p>Why a separate step: the resolver checks a path ({@code toRealPath}, then a stat), and the
 * file is opened later by path (the open-file cache even trusts a check for a second). Between the
 * two, whoever can write inside the root can put a symbolic link to {@code /etc/passwd} or a FIFO
 * where the checked file was. So the open itself re-proves the check, by descriptor:
 * <ol>
 *   <li>The resolved <em>real</em> path, relative to the real root, is opened from a descriptor of
 *       the root with {@code openat2(RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS)}
 *       and {@code O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC}. The kernel refuses any ".."
 *       out of the root and any symbolic link on the way, atomically. A FIFO or device is opened
 *       without blocking ({@code O_NONBLOCK}) and refused in the next step.</li>
 *   <li>The opened descriptor is stat'ed (through {@code /proc/self/fd/N}, which names that open
 *       file and no path): anything but a regular file is {@link NoSuchFileException}.</li>
 *   <li>The caller reopens {@link Opened#path()} ({@code /proc/self/fd/N}) with the JDK (a
 *       {@code FileChannel} for sendfile, a stream), which yields the same inode, never a path's
 *       new occupant, and then closes the {@code Opened}. Reopening a regular file cannot block.</li>
 * </ol>
 * Where {@code openat2} is missing (Linux before 5.6, or a seccomp filter refusing it), step 1
 * walks the path one component at a time with {@code openat(O_NOFOLLOW)}: directories with
 * {@code O_PATH | O_DIRECTORY}, the file last. The real path has no "." or ".." and starts at the
 * root, so this proves the same thing with one call per component.
 *
 * <p>Symbolic links inside the root still work as before: the resolver follows them and keeps
 * only those whose real path lies inside the root, and it is that real path (free of links) that
 * is opened here. A link swapped in after the check is refused ({@link NoSuchFileException}, a
 * 404), never followed.
 *
 * <p>Failures: a missing file, a link on the way, a path leaving the root or anything not a
 * regular file is {@link NoSuchFileException}; a permission refusal is
 * {@link AccessDeniedException}; the rest an {@link IOException}. Messages hold no path.
 *
 * <p>Without the FFM system calls (not Linux, or no {@code /proc}), the file is opened by its
 * path after a stat that does not follow links: links swapped in later and FIFOs are then not
 * excluded. Thread-safe and stateless.
 */
public final class FileOpener {

    /** A file opened and checked; {@link #path()} reopens it. Close it once reopened. */
    public static final class Opened implements AutoCloseable {
        private final int fd;
        private final Path path;
        private final BasicFileAttributes attributes;

        private Opened(int fd, Path path, BasicFileAttributes attributes) {
            this.fd = fd;
            this.path = path;
            this.attributes = attributes;
        }

        /** A path that opens this very file ({@code /proc/self/fd/N}) while this is open. */
        public Path path() { return path; }

        /** The opened file's attributes (a regular file). */
        public BasicFileAttributes attributes() { return attributes; }

        @Override public void close() {
            if (fd >= 0) Native.close(fd);
        }
    }

    private FileOpener() {}

    /**
     * Opens {@code file} (a real path) beneath {@code root} (the real root it was found in).
     *
     * @throws NoSuchFileException   missing, not a regular file, outside the root or reached by a link
     * @throws AccessDeniedException the server may not read it
     */
    public static Opened open(Path root, Path file) throws IOException {
        if (!file.startsWith(root) || file.equals(root)) throw new NoSuchFileException("outside the document root");
        Path relative = root.relativize(file);
        for (Path name : relative) {
            String s = name.toString();
            if (s.equals("..") || s.equals(".")) throw new NoSuchFileException("not a real path");
        }
        if (!Native.AVAILABLE) return openByPath(file);
        int fd = Native.openBeneath(root.toString(), relative);
        try {
            Path proc = Path.of("/proc/self/fd/" + fd);
            BasicFileAttributes a = Files.readAttributes(proc, BasicFileAttributes.class);
            if (!a.isRegularFile()) throw new NoSuchFileException("not a regular file");
            Opened o = new Opened(fd, proc, a);
            fd = -1;
            return o;
        } finally {
            if (fd >= 0) Native.close(fd);
        }
    }

    private static Opened openByPath(Path file) throws IOException {
        BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        if (!a.isRegularFile()) throw new NoSuchFileException("not a regular file");
        return new Opened(-1, file, a);
    }

    /**
     * Makes the first {@link #open} as fast as the rest: linking the system calls takes a while
     * (up to a second or more on a busy machine), which a server pays at start rather than on its
     * first request. Opens nothing.
     */
    public static void prepare(Path root) {
        try (Opened ignored = open(root, root.resolve(".tenk-prepare"))) {
            // there is no such file: the calls were linked and run once
        } catch (IOException expected) {
            // the usual answer
        }
    }

    /** Whether openat2 is used (false: the per-component walk). Tests force the walk with it. */
    static boolean useOpenat2(boolean use) {
        boolean was = Native.openat2;
        Native.openat2 = use && Native.AVAILABLE;
        return was;
    }

    /**
     * The system calls, through the FFM API; Linux on x86-64 or AArch64. One downcall, libc's
     * {@code syscall(2)}, makes all three (openat2, openat, close): every argument of a system call
     * is a machine word, and each downcall handle the JDK links costs milliseconds of start-up
     * (a generated class, and the errno capture around it).
     */
    private static final class Native {
        private static final int AT_FDCWD = -100;
        private static final int O_NONBLOCK = 0x800, O_NOCTTY = 0x100, O_CLOEXEC = 0x80000, O_PATH = 0x200000;
        private static final int O_NOFOLLOW, O_DIRECTORY;
        private static final long RESOLVE_NO_MAGICLINKS = 0x02, RESOLVE_NO_SYMLINKS = 0x04, RESOLVE_BENEATH = 0x08;
        private static final long SYS_OPENAT2 = 437; // the same number on every architecture
        private static final long SYS_OPENAT, SYS_CLOSE;
        /** struct open_how: flags, mode, resolve (three 64-bit words). */
        private static final long OPEN_HOW_SIZE = 24;
        private static final int EPERM = 1, ENOENT = 2, EINTR = 4, ENXIO = 6, EACCES = 13, EXDEV = 18, ENODEV = 19, ENOTDIR = 20,
                ENAMETOOLONG = 36, ENOSYS = 38, ELOOP = 40;

        private static final boolean AVAILABLE;
        /**
         * (state, nr, a1 … a6) -> long: the shape the event loops' system calls use too
         * ({@code model/nio/Syscall}), so the JDK links it once for both.
         */
        private static final MethodHandle SYSCALL;
        private static final StructLayout CAPTURE;
        private static final long ERRNO_OFFSET;
        /** Where close's errno goes, shared by every thread: it is never read (close releases the descriptor whatever it says). */
        private static final MemorySegment CLOSE_STATE;

        static volatile boolean openat2;

        static {
            String arch = System.getProperty("os.arch");
            boolean x86 = arch.equals("amd64") || arch.equals("x86_64");
            boolean arm = arch.equals("aarch64");
            O_NOFOLLOW = x86 ? 0x20000 : 0x8000;
            O_DIRECTORY = x86 ? 0x10000 : 0x4000;
            SYS_OPENAT = x86 ? 257 : 56;
            SYS_CLOSE = x86 ? 3 : 57;
            MethodHandle syscall = null;
            StructLayout capture = null;
            long errno = 0;
            boolean ok = false;
            if ((x86 || arm) && System.getProperty("os.name").equals("Linux") && Files.isDirectory(Path.of("/proc/self/fd"))) {
                try {
                    Linker linker = Linker.nativeLinker();
                    capture = Linker.Option.captureStateLayout();
                    errno = offsetOf(capture, "errno");
                    syscall = linker.downcallHandle(linker.defaultLookup().findOrThrow("syscall"),
                            FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG,
                                    ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG,
                                    ValueLayout.JAVA_LONG),
                            Linker.Option.captureCallState("errno"), Linker.Option.firstVariadicArg(1));
                    ok = true;
                } catch (RuntimeException | LinkageError e) {
                    ok = false;
                }
            }
            SYSCALL = syscall;
            CAPTURE = capture;
            ERRNO_OFFSET = errno;
            CLOSE_STATE = ok ? Arena.global().allocate(capture) : null;
            AVAILABLE = ok;
            openat2 = ok;
        }

        /** Where member {@code name} lies in {@code struct} (its members, padding included, add up to it). */
        private static long offsetOf(StructLayout struct, String name) {
            long offset = 0;
            for (MemoryLayout m : struct.memberLayouts()) {
                if (m.name().filter(name::equals).isPresent()) return offset;
                offset += m.byteSize();
            }
            throw new IllegalArgumentException("no " + name + " in " + struct);
        }

        /** A read-only, non-blocking descriptor of {@code relative} beneath {@code root}, no link followed. */
        static int openBeneath(String root, Path relative) throws IOException {
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment state = arena.allocate(CAPTURE);
                int dir = openat(state, AT_FDCWD, arena.allocateFrom(root), O_PATH | O_DIRECTORY | O_CLOEXEC);
                if (dir < 0) throw failure(errno(state));
                try {
                    int flags = O_NONBLOCK | O_NOCTTY | O_CLOEXEC; // O_RDONLY is 0
                    if (openat2) {
                        MemorySegment how = arena.allocate(OPEN_HOW_SIZE, 8); // zeroed: mode 0
                        how.set(ValueLayout.JAVA_LONG, 0, flags);
                        how.set(ValueLayout.JAVA_LONG, 16, RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS);
                        MemorySegment path = arena.allocateFrom(relative.toString());
                        long fd;
                        do {
                            fd = (long) SYSCALL.invokeExact(state, SYS_OPENAT2, (long) dir, path.address(), how.address(), OPEN_HOW_SIZE, 0L, 0L);
                        } while (fd < 0 && errno(state) == EINTR);
                        if (fd >= 0) return (int) fd;
                        int e = errno(state);
                        if (e != ENOSYS && e != EPERM) throw failure(e);
                        openat2 = false; // not offered here: walk from now on
                    }
                    return walk(arena, state, dir, relative, flags);
                } finally {
                    close(dir);
                }
            } catch (IOException | RuntimeException | Error e) {
                throw e;
            } catch (Throwable t) {
                throw new IOException("open failed", t);
            }
        }

        /** openat one component at a time, never following a link; closes what it opened but {@code dir}. */
        private static int walk(Arena arena, MemorySegment state, int dir, Path relative, int flags) throws Throwable {
            int at = dir;
            try {
                int n = relative.getNameCount();
                for (int i = 0; i < n; i++) {
                    boolean last = i == n - 1;
                    int f = openat(state, at, arena.allocateFrom(relative.getName(i).toString()),
                            last ? flags | O_NOFOLLOW : O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
                    if (f < 0) throw failure(errno(state));
                    if (at != dir) close(at);
                    at = f;
                }
                int fd = at;
                at = dir;
                return fd;
            } finally {
                if (at != dir) close(at);
            }
        }

        private static int openat(MemorySegment state, int dir, MemorySegment path, int flags) throws Throwable {
            long fd;
            do {
                fd = (long) SYSCALL.invokeExact(state, SYS_OPENAT, (long) dir, path.address(), (long) flags, 0L, 0L, 0L);
            } while (fd < 0 && errno(state) == EINTR);
            return (int) fd;
        }

        static void close(int fd) {
            try {
                long ignored = (long) SYSCALL.invokeExact(CLOSE_STATE, SYS_CLOSE, (long) fd, 0L, 0L, 0L, 0L, 0L);
            } catch (Throwable ignored) {
                // close(2) releases the descriptor even when it reports an error
            }
        }

        private static int errno(MemorySegment state) {
            return state.get(ValueLayout.JAVA_INT, ERRNO_OFFSET);
        }

        private static IOException failure(int errno) {
            return switch (errno) {
                case EACCES, EPERM -> new AccessDeniedException("permission denied");
                case ENOENT, ENXIO, ENODEV, ENOTDIR, ELOOP, EXDEV, ENAMETOOLONG -> new NoSuchFileException("no such regular file beneath the root");
                default -> new IOException("open failed (errno " + errno + ")");
            };
        }
    }
}
