package io.tenk.observe;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Watches directory trees (the JDK's {@link WatchService}: inotify on Linux) and counts changes:
 * {@link #version()} grows whenever a file or directory under a root is created, changed or
 * deleted. Directories created later are watched too. One daemon thread; {@link #close()} ends it.
 * At most {@value #MAX_DIRECTORIES} directories are watched (a guard against a root holding a
 * whole disk); changes deeper than that are not seen, and one warning says so.
 */
public final class TreeWatcher implements AutoCloseable {
    static final int MAX_DIRECTORIES = 10_000;

    private final WatchService service;
    private final AtomicLong version = new AtomicLong();
    private final ErrorLog log;
    private final Thread thread;
    private int directories;
    private boolean warned;

    private TreeWatcher(List<Path> roots, ErrorLog log) throws IOException {
        this.service = FileSystems.getDefault().newWatchService();
        this.log = log;
        for (Path root : roots) register(root);
        thread = Thread.ofPlatform().daemon().name("tenk-watch").start(this::run);
    }

    /** Starts watching every tree under {@code roots}; returns once they are all registered. */
    public static TreeWatcher start(List<Path> roots, ErrorLog log) throws IOException {
        return new TreeWatcher(roots, log);
    }

    /** A number that grows with every change seen (safe from any thread). */
    public long version() { return version.get(); }

    private void register(Path dir) {
        try {
            Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                @Override public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) throws IOException {
                    if (directories >= MAX_DIRECTORIES) {
                        if (!warned) log.warn("--watch: more than " + MAX_DIRECTORIES + " directories; changes beyond them are not seen");
                        warned = true;
                        return FileVisitResult.TERMINATE;
                    }
                    d.register(service, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_DELETE,
                            StandardWatchEventKinds.ENTRY_MODIFY);
                    directories++;
                    return FileVisitResult.CONTINUE;
                }

                @Override public FileVisitResult visitFileFailed(Path f, IOException e) {
                    return FileVisitResult.CONTINUE; // unreadable: not served either
                }
            });
        } catch (IOException e) {
            // the directory went away meanwhile: its parent's event already counted
        }
    }

    private void run() {
        try {
            while (true) {
                WatchKey key = service.take();
                for (WatchEvent<?> e : key.pollEvents()) {
                    if (e.kind() == StandardWatchEventKinds.ENTRY_CREATE && key.watchable() instanceof Path dir
                            && e.context() instanceof Path name && Files.isDirectory(dir.resolve(name))) {
                        register(dir.resolve(name));
                    }
                }
                version.incrementAndGet(); // OVERFLOW included: something changed
                key.reset();
            }
        } catch (InterruptedException | ClosedWatchServiceException e) {
            // closed
        } catch (RuntimeException e) {
            log.warn("--watch stopped: " + e);
        }
    }

    @Override public void close() {
        try {
            service.close();
        } catch (IOException e) {
            // nothing to release beyond what close already did
        }
        thread.interrupt();
    }
}
