package io.tenk.observe;

import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** Opening log files: appended to (O_APPEND), created when missing, errors that name the file. */
final class LogFiles {
    private LogFiles() {}

    static OutputStream open(Path file) throws IOException {
        try {
            return Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE);
        } catch (NoSuchFileException e) {
            throw new IOException("cannot open log file " + file + ": no such directory", e);
        } catch (AccessDeniedException e) {
            throw new IOException("cannot open log file " + file + ": permission denied", e);
        } catch (IOException e) {
            throw new IOException("cannot open log file " + file + ": " + ErrorLog.describe(e), e);
        }
    }

    static void closeQuietly(Closeable c) {
        try {
            c.close();
        } catch (IOException ignored) {
            // the lines were written already; nothing more to do
        }
    }
}
