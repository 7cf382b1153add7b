package io.tenk.cli;

import io.tenk.tls.LocalCa;
import picocli.CommandLine.Command;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;

/** {@code tenk ca}: where the local development CA is (made now if there is none) and how to trust it. */
@Command(name = "ca", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Shows tenk's local development CA (used by tenk --https) and the commands that make this machine trust it.")
final class CaCommand implements Cli.Command {

    int run(PrintStream out, PrintStream err, Map<String, String> env) {
        Path dir = LocalCa.defaultDir(env);
        Path ca;
        try {
            ca = LocalCa.loadOrCreate(dir).certFile();
        } catch (IOException | RuntimeException e) {
            err.println("tenk: cannot use the local CA in " + dir + ": " + e.getMessage());
            return Cli.FAILED;
        }
        out.println(ca);
        out.println();
        out.println("Trust it (tenk --https then serves certificates that browsers and curl accept):");
        out.println("  system store (Debian, Ubuntu; curl, wget):");
        out.println("    sudo cp " + ca + " /usr/local/share/ca-certificates/tenk-local-ca.crt && sudo update-ca-certificates");
        out.println("  Chrome, Chromium and Firefox on Linux (NSS; certutil is in libnss3-tools):");
        out.println("    certutil -d sql:$HOME/.pki/nssdb -A -t C,, -n tenk -i " + ca);
        out.println("  one command only:");
        out.println("    curl --cacert " + ca + " https://localhost:7890/");
        out.println("The CA's key stays in " + dir + " (readable by you only); anyone who has it can");
        out.println("make certificates this machine trusts. Delete the folder, and the trust, to undo.");
        out.flush();
        return Cli.OK;
    }
}
