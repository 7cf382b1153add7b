package io.tenk.observe;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The logs written to files: appended to, reopened by name after a move, clear errors. */
class LogFilesTest {
    @TempDir Path dir;

    @Test void errorLogReopensByName() throws IOException {
        Path f = dir.resolve("error.log");
        Files.writeString(f, "earlier line\n");
        ErrorLog log = ErrorLog.toFile(f, false);
        log.warn("one");
        Files.move(f, dir.resolve("error.log.1"));
        log.warn("two"); // still the moved file, as with any open descriptor
        log.reopen();
        log.warn("three");
        List<String> old = Files.readAllLines(dir.resolve("error.log.1"));
        assertEquals(3, old.size(), old.toString());
        assertEquals("earlier line", old.get(0), "appended, not truncated");
        assertTrue(old.get(1).endsWith(" warn one") && old.get(2).endsWith(" warn two"), old.toString());
        List<String> now = Files.readAllLines(f);
        assertEquals(1, now.size(), now.toString());
        assertTrue(now.getFirst().endsWith(" warn three"));
    }

    @Test void errorLogLinesAreJsonObjectsInTheJsonFormat() throws IOException {
        Path f = dir.resolve("error.json");
        ErrorLog log = ErrorLog.toFile(f, false, true);
        log.warn("a \"quoted\" name\tand a tab");
        log.error("reading x", new IOException("gone"));
        List<String> lines = Files.readAllLines(f);
        assertEquals(2, lines.size(), lines.toString());
        assertTrue(lines.get(0).matches("\\{\"time\":\"\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ\",\"level\":\"warn\","
                + "\"message\":\"a \\\\\"quoted\\\\\" name\\\\u0009and a tab\"}"), lines.get(0));
        assertTrue(lines.get(1).endsWith("\"level\":\"error\",\"message\":\"reading x: gone\"}"), lines.get(1));
    }

    @Test void accessLogReopensByName() throws IOException {
        Path f = dir.resolve("access.log");
        AccessLog log = AccessLog.toFile(f, AccessLog.Format.JSON);
        log.log("127.0.0.1", "GET /a HTTP/1.1", 200, 1, null, null);
        Files.move(f, dir.resolve("access.log.1"));
        log.reopen();
        log.log("127.0.0.1", "GET /b HTTP/1.1", 200, 1, null, null);
        log.close();
        String old = Files.readString(dir.resolve("access.log.1"));
        String now = Files.readString(f);
        assertTrue(old.startsWith("{\"time\":") && old.contains("\"target\":\"/a\"") && old.endsWith("}\n"), old);
        assertEquals(1, old.lines().count());
        assertTrue(now.contains("\"target\":\"/b\"") && now.endsWith("}\n"), now);
        assertEquals(1, now.lines().count());
    }

    @Test void aFileThatCannotBeOpenedIsNamed() {
        IOException e = assertThrows(IOException.class, () -> AccessLog.toFile(dir.resolve("no/access.log"), AccessLog.Format.COMBINED));
        assertEquals("cannot open log file " + dir.resolve("no/access.log") + ": no such directory", e.getMessage());
    }
}
