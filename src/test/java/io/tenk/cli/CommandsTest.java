package io.tenk.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.tenk.cli.CliTest.assertOneLineError;
import static io.tenk.cli.CliTest.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The commands of tenk: serving is the default, each command has --help, and usage errors name the command. */
class CommandsTest {
    @TempDir Path root;

    @Test void everyCommandHasHelpNamingItsOptions() {
        Map<String, List<String>> options = Map.of(
                "serve", List.of("-p, --port", "-d, --directory", "--model", "[PORT]"),
                "compress", List.of("--formats", "--min-size", "--force", "DIR"),
                "check", List.of("-c, --config", "[FILE]"),
                "rules", List.of("test"),
                "rules test", List.of("-c, --config", "URL..."),
                "models", List.of("-h, --help"));
        for (var e : options.entrySet()) {
            for (String help : List.of("--help", "-h")) {
                List<String> args = new ArrayList<>(List.of(e.getKey().split(" ")));
                args.add(help);
                CliTest.Run r = run(args.toArray(String[]::new));
                assertEquals(0, r.code(), e.getKey() + ": " + r.err());
                assertEquals("", r.err(), e.getKey());
                assertTrue(r.out().startsWith("Usage: tenk " + e.getKey() + " "), r.out());
                for (String o : e.getValue()) assertTrue(r.out().contains(o), e.getKey() + " " + help + " names " + o + ": " + r.out());
            }
        }
    }

    @Test void theMainHelpListsTheCommands() {
        CliTest.Run r = run("--help");
        assertEquals(0, r.code(), r.err());
        for (String c : List.of("serve", "compress", "check", "rules", "models")) {
            assertTrue(r.out().lines().anyMatch(l -> l.startsWith("  " + c + " ")), c + " in " + r.out());
        }
    }

    @Test void rulesAloneIsAUsageError() {
        assertOneLineError(run("rules"), 2, "usage: tenk rules test --config FILE URL... (see tenk rules --help)");
        assertOneLineError(run("rules", "tset"), 2, "unexpected argument tset (see tenk rules --help)");
    }

    @Test void serveByNameTakesTheSameOptions() {
        assertOneLineError(run("serve", "-p", "70000", "-d", root.toString()), 2, "out of range (0-65535) (see tenk serve --help)");
        assertOneLineError(run("serve", "65536", "-d", root.toString()), 2, "out of range");
        assertOneLineError(run("serve", "--frobnicate"), 2, "unknown option --frobnicate (see tenk serve --help)");
    }

    /** A word that is neither a command nor a port is the port's error, as before there were commands. */
    @Test void aWordThatIsNotACommandIsAPortThatIsNotANumber() {
        assertOneLineError(run("foo"), 2, "'foo' is not an int (see tenk --help)");
        assertOneLineError(run("8080", "9090"), 2, "unexpected argument 9090");
    }

    @Test void aCommandCannotFollowServerOptions() {
        assertOneLineError(run("-p", "0", "check", "x.toml"), 2, "'check' cannot follow server options");
        assertOneLineError(run("8080", "models"), 2, "'models' cannot follow server options");
    }

    /** A folder may be named like a command: after -d it is the folder. */
    @Test void aCommandNameIsAnOptionValue() {
        assertOneLineError(run("-p", "70000", "-d", "check"), 2, "out of range");
        assertOneLineError(run("-p", "70000", "-d", "models"), 2, "out of range");
    }

    @Test void usageErrorsOfCommandsNameTheirHelp() {
        assertOneLineError(run("compress"), 2, "'DIR' (see tenk compress --help)");
        assertOneLineError(run("rules", "test", "/"), 2, "'--config=FILE' (see tenk rules test --help)");
        assertOneLineError(run("rules", "test", "--config", "x.toml"), 2, "'URL' (see tenk rules test --help)");
        assertOneLineError(run("check", "a.toml", "b.toml"), 2, "unexpected argument b.toml (see tenk check --help)");
        assertOneLineError(run("models", "all"), 2, "unexpected argument all (see tenk models --help)");
    }
}
