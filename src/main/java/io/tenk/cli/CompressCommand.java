package io.tenk.cli;

import io.tenk.files.ContentCoding;
import io.tenk.files.DirectoryListing;
import io.tenk.http.FieldSyntax;
import io.tenk.precompress.Encoder;
import io.tenk.precompress.Encoders;
import io.tenk.precompress.Precompressor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** {@code tenk compress DIR}: writes .gz, .br and .zst siblings beside a site's text files. */
@Command(name = "compress", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        sortOptions = false,
        description = {"Precompresses a site: .gz, .br and .zst beside each text file.",
                "Writes FILE.gz, FILE.br and FILE.zst beside each compressible file "
                + "(HTML, CSS, JavaScript, JSON, SVG, …), which tenk then serves to clients that accept them. "
                + "Siblings already newer than their file are kept. Symbolic links are not followed: a link's target "
                + "inside the site gets its own siblings, which tenk finds for the link too. What cannot be read is "
                + "skipped with a warning."})
final class CompressCommand implements Cli.Command {
    @Spec CommandSpec spec;

    @Parameters(index = "0", paramLabel = "DIR", description = "The site to precompress.")
    Path dir;

    @Option(names = "--formats", split = ",", paramLabel = "FORMAT",
            description = "Which to write, comma-separated: gzip, br, zstd (default: all three).")
    List<String> formats = List.of("gzip", "br", "zstd");

    @Option(names = "--min-size", paramLabel = "BYTES",
            description = "Skip files smaller than this (default: 1024; tiny files gain nothing).")
    long minSize = 1024;

    @Option(names = "--force", description = "Rewrite siblings even when they are up to date.")
    boolean force;

    int run(PrintStream out, PrintStream err, boolean interactive) {
        if (!Files.isDirectory(dir)) {
            throw new ParameterException(spec.commandLine(), "directory " + FieldSyntax.printable(dir.toString()) + " does not exist");
        }
        List<ContentCoding> wanted = new ArrayList<>();
        for (String f : formats) {
            ContentCoding c = switch (f.strip().toLowerCase(Locale.ROOT)) {
                case "gzip", "gz" -> ContentCoding.GZIP;
                case "br", "brotli" -> ContentCoding.BR;
                case "zstd", "zst" -> ContentCoding.ZSTD;
                default -> null;
            };
            if (c == null) {
                throw new ParameterException(spec.commandLine(), "unknown format '" + FieldSyntax.printable(f) + "': use gzip, br or zstd");
            }
            if (!wanted.contains(c)) wanted.add(c);
        }
        List<Encoder> encoders = Encoders.load(wanted, msg -> err.println("tenk: " + msg));
        if (encoders.isEmpty()) {
            err.println("tenk: no compression format is available");
            return Cli.FAILED;
        }
        Precompressor p = new Precompressor(encoders, minSize, force);
        List<String> errors = new ArrayList<>();
        Precompressor.Summary s;
        try {
            s = p.run(dir, (done, total, file) -> progress(err, interactive, done, total, file), errors);
        } catch (IOException | RuntimeException e) {
            err.println("tenk: cannot read " + FieldSyntax.printable(dir.toString()) + ": " + FieldSyntax.printable(Cli.oneLine(e.getMessage())));
            return Cli.FAILED;
        }
        if (interactive && s.files > 0) err.println();
        for (Path skipped : s.skipped) err.println("tenk: skipped " + FieldSyntax.printable(skipped.toString()) + ": cannot read it");
        for (String e : errors) err.println("tenk: failed: " + FieldSyntax.printable(Cli.oneLine(e)));
        out.println(summary(s));
        return errors.isEmpty() ? Cli.OK : Cli.FAILED;
    }

    static void progress(PrintStream err, boolean interactive, int done, int total, Path file) {
        if (!interactive) return;
        int width = 30, filled = total == 0 ? width : (int) ((long) done * width / total);
        String name = FieldSyntax.printable(file.toString());
        if (name.length() > 40) name = "…" + name.substring(name.length() - 39);
        err.print("\r[" + "#".repeat(filled) + ".".repeat(width - filled) + "] " + done + "/" + total + " " + name + "\u001b[K");
        err.flush();
    }

    static String summary(Precompressor.Summary s) {
        StringBuilder sb = new StringBuilder();
        sb.append(s.files).append(s.files == 1 ? " file" : " files").append(" (")
                .append(DirectoryListing.humanSize(s.originalBytes)).append("): ")
                .append(s.written).append(" written, ").append(s.upToDate).append(" up to date");
        if (s.notSmaller > 0) sb.append(", ").append(s.notSmaller).append(" not kept (no smaller)");
        if (!s.skipped.isEmpty()) sb.append(", ").append(s.skipped.size()).append(" skipped (unreadable)");
        if (s.failed > 0) sb.append(", ").append(s.failed).append(" failed");
        for (var e : s.perCoding.entrySet()) {
            long orig = e.getValue()[0], comp = e.getValue()[1];
            long saved = orig - comp;
            sb.append(String.format(Locale.ROOT, "%n  %-5s %s → %s, %s saved (%.0f%%)", e.getKey().token(),
                    DirectoryListing.humanSize(orig), DirectoryListing.humanSize(comp), DirectoryListing.humanSize(saved),
                    orig == 0 ? 0.0 : 100.0 * saved / orig));
        }
        return sb.toString();
    }
}
