package io.tenk.cli;

import java.io.PrintStream;

/** The {@code tenk} command. Only this class calls {@link System#exit}. */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        int code = new Cli(System.out, System.err).run(args);
        System.exit(code);
    }

    /** Runs the command line with injected streams and returns the exit code (tests). */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        return new Cli(out, err).run(args);
    }
}
