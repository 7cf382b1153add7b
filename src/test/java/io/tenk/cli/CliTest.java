package io.tenk.cli;

import io.tenk.support.ChildJvm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The command line: clear one-line errors with exit codes, and a real process that stops cleanly. */
class CliTest {
    @TempDir Path root;

    record Run(int code, String out, String err) {}

    static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        int code = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    static void assertOneLineError(Run r, int code, String fragment) {
        assertEquals(code, r.code(), r.err());
        assertEquals(1, r.err().lines().count(), "exactly one line on stderr: " + r.err());
        assertTrue(r.err().startsWith("tenk: "), r.err());
        assertTrue(r.err().contains(fragment), r.err());
        assertFalse(r.err().contains("Exception"), r.err());
        assertFalse(r.err().contains("\tat "), r.err());
    }

    /** Serving parses with its own command only unless an argument names another: the names must be all of them. */
    @Test void theCommandNamesThatNeedTheWholeTreeAreEveryCommand() {
        assertEquals(Cli.COMMAND_NAMES, Cli.commands().getSubcommands().keySet());
        assertTrue(Cli.servesOnly(new String[]{"-p", "0", "-d", "site"}));
        assertFalse(Cli.servesOnly(new String[]{"-d", "check"}));
    }

    /** The top-level help lists the commands even though serving alone is parsed first. */
    @Test void helpListsTheCommands() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertEquals(0, Main.run(new String[]{"--help"}, new PrintStream(out, true), new PrintStream(new ByteArrayOutputStream(), true)));
        String help = out.toString(StandardCharsets.UTF_8);
        for (String name : Cli.COMMAND_NAMES) assertTrue(help.contains("  " + name + " ") || help.contains("  " + name + "\n"), name + ":\n" + help);
    }

    @Test void unknownFlag() { assertOneLineError(run("--frobnicate"), 2, "--frobnicate"); }

    @Test void portOutOfRange() {
        assertOneLineError(run("-p", "70000", "-d", root.toString()), 2, "out of range");
        assertOneLineError(run("65536", "-d", root.toString()), 2, "out of range");
        assertOneLineError(run("-p", "-1", "-d", root.toString()), 2, "out of range");
    }

    @Test void portNotANumber() { assertOneLineError(run("-p", "http", "-d", root.toString()), 2, "http"); }

    @Test void missingDirectory() { assertOneLineError(run("-p", "0", "-d", root.resolve("nope").toString()), 2, "does not exist"); }

    @Test void directoryIsAFile() throws IOException {
        Path f = Files.writeString(root.resolve("f.txt"), "x");
        assertOneLineError(run("-p", "0", "-d", f.toString()), 2, "not a directory");
    }

    @Test void twoDifferentPorts() { assertOneLineError(run("8080", "-p", "8081", "-d", root.toString()), 2, "two different ports"); }

    @Test void portInUse() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Run r = run("-p", Integer.toString(taken.getLocalPort()), "-d", root.toString());
            assertOneLineError(r, 1, "address already in use");
        }
    }

    @Test void unknownBindAddress() { assertOneLineError(run("-p", "0", "-b", "no.such.host.invalid", "-d", root.toString()), 1, "cannot listen"); }

    @Test void modelsListsEveryModelOneLineEach() {
        Run r = run("models");
        assertEquals(0, r.code(), r.err());
        for (io.tenk.model.Models.Info m : io.tenk.model.Models.ALL) {
            assertTrue(r.out().lines().anyMatch(l -> l.strip().startsWith(m.name() + " ")), m.name() + " in " + r.out());
        }
        assertTrue(r.out().contains("2 s"), "iterative says its idle timeout: " + r.out());
        assertEquals(io.tenk.model.Models.ALL.size(), r.out().lines().filter(l -> l.matches("  \\S.*")).count(), r.out());
    }

    @Test void unknownModelGetsTheListAndExit2() {
        Run r = run("-p", "0", "-d", root.toString(), "--model", "nope");
        assertEquals(2, r.code());
        List<String> lines = r.err().lines().toList();
        assertEquals("tenk: unknown model: nope; the models are:", lines.get(0));
        assertEquals(io.tenk.model.Models.ALL.size(), lines.stream().filter(l -> l.matches("  \\S.*")).count(), r.err());
        assertTrue(r.err().contains("reactor") && r.err().contains("iterative"), r.err());
        assertEquals("", r.out());
    }

    @Test void badThreadsAndSelector() {
        assertOneLineError(run("-p", "0", "-d", root.toString(), "--threads", "0"), 2, "--threads");
        assertOneLineError(run("-p", "0", "-d", root.toString(), "--selector", "kqueue"), 2, "unknown selector");
    }

    @Test void helpAndVersion() {
        Run help = run("--help");
        assertEquals(0, help.code());
        for (String s : List.of("-p, --port", "-b, --bind", "-d, --directory", "-q, --quiet", "PORT", "--model", "--threads", "--selector")) {
            assertTrue(help.out().contains(s), s + " in " + help.out());
        }
        Run version = run("--version");
        assertEquals(0, version.code());
        assertTrue(version.out().startsWith("tenk "), version.out());
    }

    @Test void helpExamplesAreIndentedAndFitEightyColumns() {
        Run help = run("--help");
        List<String> lines = help.out().lines().toList();
        int at = lines.indexOf("Examples:");
        assertTrue(at > 0, help.out());
        for (String l : lines.subList(at + 1, lines.size())) {
            assertTrue(l.startsWith("  tenk ") || l.startsWith(" ".repeat(28)), "an example or its continuation: '" + l + "'");
        }
        for (String l : lines) assertTrue(l.length() <= 80, l.length() + " columns: " + l);
        for (String s : List.of("--watch", "--open", "--log-format")) assertTrue(help.out().contains(s), s);
    }

    @Test void modelsFitAHundredColumns() {
        Run r = run("models");
        for (String l : r.out().lines().toList()) assertTrue(l.length() <= 100, l.length() + " columns: " + l);
        // each description continues under itself
        assertTrue(r.out().lines().anyMatch(l -> l.startsWith(" ".repeat(13)) && !l.isBlank()), r.out());
    }

    @Test void watchIsRefusedWithPreforkAndProcessAndBadLogFormatsAreNamed() {
        assertOneLineError(run("-p", "0", "-d", root.toString(), "--watch", "--model", "prefork"), 2, "--watch");
        assertOneLineError(run("-p", "0", "-d", root.toString(), "--watch", "--model", "process"), 2, "--watch");
        assertOneLineError(run("-p", "0", "-d", root.toString(), "--log-format", "xml"), 2, "unknown log format: xml");
    }

    /** A real JVM: -p 0 prints the URL with the chosen port, serves, and SIGTERM ends it with exit code 0. */
    @Test void processServesAndStopsCleanlyOnSigterm() throws Exception {
        Files.writeString(root.resolve("index.html"), "hello from the process\n");
        List<String> cmd = new ArrayList<>(ChildJvm.command(List.of()));
        cmd.addAll(List.of("-p", "0", "-d", root.toString()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(false).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            String first = out.readLine();
            Matcher m = Pattern.compile("on (http://127\\.0\\.0\\.1:(\\d+)/)").matcher(first == null ? "" : first);
            assertTrue(m.find(), "the first line names the URL: " + first);
            assertFalse(m.group(2).equals("0"));
            HttpResponse<String> r = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create(m.group(1))).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode());
            assertEquals("hello from the process\n", r.body());
            // SIGTERM by pid: Process.destroy() would also close our end of its stdout
            assertEquals(0, new ProcessBuilder("kill", "-TERM", Long.toString(p.pid())).start().waitFor());
            assertTrue(p.waitFor(15, TimeUnit.SECONDS), "the server stops after SIGTERM");
            assertEquals(0, p.exitValue());
            String rest = String.join("\n", out.lines().toList());
            assertTrue(rest.contains("\"GET / HTTP/1.1\" 200 23"), "the access log line was flushed: " + rest);
        } finally {
            p.destroyForcibly();
        }
    }
}
