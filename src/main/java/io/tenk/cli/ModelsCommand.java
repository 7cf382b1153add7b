package io.tenk.cli;

import io.tenk.model.Models;
import picocli.CommandLine.Command;

import java.io.PrintStream;

/** {@code tenk models}: the concurrency models, one paragraph each. */
@Command(name = "models", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Lists the concurrency models; tenk --model NAME chooses one.")
final class ModelsCommand implements Cli.Command {

    int run(PrintStream out) {
        out.println("tenk models (choose one with --model NAME):");
        out.print(Models.describe());
        out.flush();
        return Cli.OK;
    }
}
