package io.tenk.cli;

import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code --open}: starts a browser on a URL, as python's {@code webbrowser} does: the command in
 * {@code $BROWSER} if set, else {@code xdg-open} (or {@code open} on macOS) found on the PATH.
 * It never fails the start: without a launcher, or when it cannot be run, one line says so.
 */
final class Browser {
    private Browser() {}

    static void open(String url, PrintStream err) {
        List<String> cmd = command(System.getenv("BROWSER"), System.getenv("PATH"),
                System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("mac") ? "open" : "xdg-open");
        if (cmd == null) {
            err.println("tenk: --open: no browser launcher found (set $BROWSER or install xdg-open); open " + url);
            return;
        }
        cmd.add(url);
        try {
            new ProcessBuilder(cmd).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        } catch (IOException | RuntimeException e) {
            err.println("tenk: --open: cannot run " + cmd.getFirst() + "; open " + url);
        }
    }

    /** The launcher to run (URL not yet added): $BROWSER's words, else {@code fallback} when it is on the PATH, else null. */
    static List<String> command(String browserEnv, String path, String fallback) {
        if (browserEnv != null && !browserEnv.isBlank()) {
            // $BROWSER may list several commands separated by ':'; the first is used
            String first = browserEnv.split(File.pathSeparator)[0].strip();
            if (!first.isEmpty()) return new ArrayList<>(List.of(first.split("\\s+")));
        }
        if (path == null) return null;
        for (String dir : path.split(File.pathSeparator)) {
            if (dir.isEmpty()) continue;
            Path p = Path.of(dir, fallback);
            if (Files.isExecutable(p)) return new ArrayList<>(List.of(p.toString()));
        }
        return null;
    }
}
