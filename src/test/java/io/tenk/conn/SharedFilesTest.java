package io.tenk.conn;

import io.tenk.http.Body;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A file sent from disk is opened once and its channel shared by the responses that send it,
 * while it is the file their regions were cut from, for a second at most, and never closed under
 * a response still sending from it.
 */
class SharedFilesTest {
    private static final long SECOND = 1_000_000_000L;

    @TempDir Path root;
    private final AtomicLong now = new AtomicLong(5 * SECOND);
    private SharedFiles files;

    @BeforeEach void cache() throws IOException {
        root = root.toRealPath();
        files = new SharedFiles(8, SECOND, now::get);
    }

    private Path write(String name, int size) throws IOException {
        Path p = root.resolve(name);
        Files.write(p, new byte[size]);
        return p;
    }

    /** The whole file as a handler cuts it: with its size and time as checked. */
    private Body.FileRegion region(Path p) throws IOException {
        BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
        return new Body.FileRegion(root, p, 0, a.size(), a.size(), a.lastModifiedTime().toMillis());
    }

    @Test void responsesForOneFileShareItsChannel() throws IOException {
        Body.FileRegion r = region(write("big.bin", 100_000));
        SharedFiles.Open first = files.open(r);
        SharedFiles.Open second = files.open(r.part(10, 20)); // a range of it: the same descriptor
        assertSame(first, second);
        assertEquals(100_000, first.channel.size());
        first.release();
        second.release();
        assertTrue(first.channel.isOpen(), "kept for the next response");
        assertEquals(1, files.kept());
    }

    @Test void aChangedFileIsOpenedAgainAndTheOldClosedWhenItsLastSenderIsDone() throws IOException {
        Path p = write("big.bin", 100_000);
        SharedFiles.Open old = files.open(region(p));
        Path next = write("next.tmp", 200_000);
        Files.setLastModifiedTime(next, FileTime.fromMillis(Files.getLastModifiedTime(p).toMillis() + 5000));
        Files.move(next, p, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);

        SharedFiles.Open fresh = files.open(region(p));
        assertNotSame(old, fresh);
        assertEquals(200_000, fresh.channel.size());
        assertTrue(old.channel.isOpen(), "a response is still sending from it");
        assertEquals(100_000, old.channel.size(), "the old file, whole, for the response that began with it");
        old.release();
        assertFalse(old.channel.isOpen(), "replaced and no longer sent: closed");
        fresh.release();
        assertTrue(fresh.channel.isOpen());
        assertEquals(1, files.kept());
    }

    @Test void aRegionOfAnUncheckedFileIsOpenedForItselfAndClosedAfter() throws IOException {
        Path p = write("big.bin", 100_000);
        Body.FileRegion unchecked = new Body.FileRegion(root, p, 0, 100_000);
        SharedFiles.Open a = files.open(unchecked);
        SharedFiles.Open b = files.open(unchecked);
        assertNotSame(a, b);
        a.release();
        b.release();
        assertFalse(a.channel.isOpen());
        assertFalse(b.channel.isOpen());
        assertEquals(0, files.kept());
    }

    @Test void aFileNotAsTheRegionSaysIsSentOnceAndNotKept() throws IOException {
        Path p = write("big.bin", 100_000);
        Body.FileRegion stale = new Body.FileRegion(root, p, 0, 50_000, 50_000, 1); // checked as another file
        SharedFiles.Open o = files.open(stale);
        assertEquals(0, files.kept());
        o.release();
        assertFalse(o.channel.isOpen());
    }

    @Test void aFileNowShorterThanTheRegionIsNotSent() throws IOException {
        Path p = write("big.bin", 100_000);
        Body.FileRegion r = region(p);
        Files.write(p, new byte[10]);
        assertThrows(NoSuchFileException.class, () -> files.open(r));
        assertEquals(0, files.kept());
    }

    @Test void aDescriptorIsKeptOneSecondAtMost() throws IOException {
        Body.FileRegion a = region(write("a.bin", 100_000));
        SharedFiles.Open first = files.open(a);
        first.release();
        now.addAndGet(SECOND - 1);
        SharedFiles.Open still = files.open(a);
        assertSame(first, still);
        still.release();

        now.addAndGet(1);
        SharedFiles.Open again = files.open(a);
        assertNotSame(first, again, "a second old: opened again");
        assertFalse(first.channel.isOpen());
        again.release();

        // an expired descriptor is closed by the next response for any file
        now.addAndGet(2 * SECOND);
        Body.FileRegion b = region(write("b.bin", 100_000));
        files.open(b).release();
        assertFalse(again.channel.isOpen(), "expired: closed by the next lookup");
        assertEquals(1, files.kept());
    }

    @Test void atMostTheBoundIsKeptOldestClosedFirst() throws IOException {
        SharedFiles.Open[] opened = new SharedFiles.Open[12];
        for (int i = 0; i < opened.length; i++) {
            opened[i] = files.open(region(write(i + ".bin", 70_000)));
            opened[i].release();
            now.addAndGet(1000);
        }
        assertTrue(files.kept() <= 8, "kept " + files.kept());
        assertFalse(opened[0].channel.isOpen(), "the oldest is closed");
        assertTrue(opened[11].channel.isOpen(), "the newest is kept");
    }

    @Test void anInterruptedSenderDoesNotCloseTheSharedChannel() throws Exception {
        Body.FileRegion r = region(write("big.bin", 100_000));
        SharedFiles.Open o = files.open(r);
        Thread.currentThread().interrupt();
        try {
            int n = o.channel.read(ByteBuffer.allocate(100), 0);
            assertEquals(100, n);
        } finally {
            assertTrue(Thread.interrupted(), "the flag is the thread's: left for it");
        }
        assertTrue(o.channel.isOpen(), "another connection may be sending from it");
        o.release();
    }

    @Test void anUncheckedFileOutsideTheRootIsNotOpened() throws IOException {
        Path outside = Files.createTempFile("outside", ".bin");
        try {
            Files.write(outside, new byte[100_000]);
            BasicFileAttributes a = Files.readAttributes(outside, BasicFileAttributes.class);
            Body.FileRegion r = new Body.FileRegion(root, outside.toRealPath(), 0, 100_000, 100_000,
                    a.lastModifiedTime().toMillis());
            assertThrows(NoSuchFileException.class, () -> files.open(r));
        } finally {
            Files.delete(outside);
        }
    }
}
