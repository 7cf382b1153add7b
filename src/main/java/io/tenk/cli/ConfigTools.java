package io.tenk.cli;

import io.tenk.TenkServer;
import io.tenk.config.ConfigFile;
import io.tenk.config.ServerConfig;
import io.tenk.config.Site;
import io.tenk.handler.HostTable;
import io.tenk.files.ContentCoding;
import io.tenk.http.Body;
import io.tenk.http.Request;
import io.tenk.http.RequestParser;
import io.tenk.http.Response;
import io.tenk.http.Status;
import io.tenk.rules.Rule;
import io.tenk.rules.Trace;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code tenk check --config F}: validates a config file and prints what it would serve (like
 * {@code nginx -t}). {@code tenk rules test --config F URL…}: for each URL, the site chosen, each
 * rule tried with its groups, and the result. Exit codes: 0 ok, 2 for a bad file or bad usage.
 */
final class ConfigTools {
    private ConfigTools() {}

    static final String RULES_USAGE = "usage: tenk rules test --config FILE URL...";

    /** The file on the defaults; a {@link io.tenk.config.ConfigException} is the one line {@link Cli} prints. */
    private static ServerConfig load(Path file) {
        return ConfigFile.load(file, ServerConfig.defaults(Cli.defaultRoot()));
    }

    // ---- check ---------------------------------------------------------------------------------

    @Command(name = "check", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class, sortOptions = false,
            description = {"Validates a config file and prints what it would serve.",
                    "Prints the listen addresses, the model, and each site with its rules; exit code 0 if the file is ok,"
                            + " 2 if not (one line naming the file, the line and the key)."})
    static final class Check implements Cli.Command {
        @Spec CommandSpec spec;

        @Option(names = {"-c", "--config"}, paramLabel = "FILE", description = "The config file (TOML).")
        Path config;

        @Parameters(arity = "0..1", paramLabel = "FILE", description = "The config file, when --config is not given.")
        Path file;

        int run(PrintStream out) {
            if ((config == null) == (file == null)) throw new ParameterException(spec.commandLine(), "usage: tenk check --config FILE");
            Path path = config != null ? config : file;
            ServerConfig c = load(path);
            out.println("tenk: " + path + " is ok");
            out.println("listen " + String.join(", ", c.listen().stream().map(Object::toString).toList()) + " (model " + c.model() + ")");
            Site dflt = c.defaultSite();
            for (int i = 0; i < c.sites().size(); i++) {
                Site s = c.sites().get(i);
                out.println("site " + (i + 1) + (s == dflt ? " (default)" : "") + ": " + String.join(", ", s.names()));
                out.println("  root " + s.root());
                out.println("  index " + String.join(", ", s.index()));
                for (Rule r : s.rules().rules()) {
                    int line = s.ruleLine(r.number());
                    out.println("  rule " + r.number() + (line > 0 ? " (line " + line + ")" : "") + ": " + describe(r));
                }
            }
            out.flush();
            return Cli.OK;
        }
    }

    static String describe(Rule r) {
        String pattern = "'" + r.pattern().source() + "'";
        return switch (r) {
            case Rule.Redirect x -> "redirect " + pattern + " to '" + x.to().source() + "' " + x.status().code();
            case Rule.Rewrite x -> "rewrite " + pattern + " to '" + x.to().source() + "'" + (x.stop() ? " (stop)" : "");
            case Rule.Deny x -> "deny " + pattern + " " + x.status().code();
            case Rule.Header x -> "header " + pattern + " " + x.action();
            case Rule.Fallback x -> "fallback " + (r.pattern().source().isEmpty() ? "(any path)" : pattern) + " to '" + x.file().source() + "'";
        };
    }

    // ---- rules test ----------------------------------------------------------------------------

    /** {@code tenk rules}: names its subcommand; alone, it is a usage error. */
    @Command(name = "rules", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
            subcommands = RulesTest.class,
            description = "Shows how the rules of a config file treat requests.")
    static final class Rules implements Cli.Command {}

    @Command(name = "test", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class, sortOptions = false,
            description = {"Shows how the rules treat each URL, as the server would answer a GET.",
                    "For each URL: the site chosen, each rule tried and whether it matched, the groups, and the result"
                            + " (status, file or Location)."})
    static final class RulesTest implements Cli.Command {
        @Spec CommandSpec spec;

        @Option(names = {"-c", "--config"}, required = true, paramLabel = "FILE", description = "The config file (TOML).")
        Path config;

        @Parameters(arity = "1..*", paramLabel = "URL",
                description = "http://host/path?query, or /path?query for the default site.")
        List<String> urls;

        int run(PrintStream out) {
            ServerConfig c = load(config);
            List<Target> targets = new ArrayList<>();
            for (String url : urls) {
                try {
                    targets.add(Target.parse(url));
                } catch (IllegalArgumentException e) {
                    throw new ParameterException(spec.commandLine(), e.getMessage());
                }
            }
            HostTable hosts = new HostTable(c.sites().stream().map(Site::names).toList());
            for (Target t : targets) {
                int i = hosts.select(t.host());
                Site site = c.sites().get(i);
                out.println(t.url());
                out.println("  site " + (i + 1) + " (" + String.join(", ", site.names()) + ")" + " root " + site.root());
                RequestParser parser = new RequestParser(c.limits());
                String head = "GET " + t.target() + " HTTP/1.1\r\nHost: " + (t.host() == null ? "x" : t.host()) + "\r\n\r\n";
                if (parser.parse(ByteBuffer.wrap(head.getBytes(StandardCharsets.ISO_8859_1))) != RequestParser.Result.REQUEST) {
                    // the path is refused before any rule sees it, as the server refuses it
                    Status s = parser.error() == null ? Status.BAD_REQUEST : parser.error();
                    out.println("  path " + t.target() + " is not a valid request path");
                    out.println("  result: " + s.code() + " " + s.reason());
                    continue;
                }
                Request req = parser.request();
                if (!req.path().equals(t.path())) out.println("  as sent " + t.path());
                Trace trace = site.rules().trace(req.path(), ContentCoding.SUFFIXES);
                for (String line : trace.render().split("\n")) out.println("  " + line);
                out.println("  result: " + result(site, req));
            }
            out.flush();
            return Cli.OK;
        }
    }

    /** What the site's handler would answer to this GET (files are looked at, not read). */
    private static String result(Site site, Request req) {
        Response r = TenkServer.siteHandlerForTools(site).handle(req);
        if (r == null) return "404 Not Found";
        StringBuilder sb = new StringBuilder().append(r.status().code()).append(' ').append(r.status().reason());
        String location = r.headers().get("Location");
        if (location != null) sb.append(", Location: ").append(location);
        if (r.body() instanceof Body.FileRegion f) sb.append(", file ").append(f.path());
        for (int i = 0; i < r.headers().size(); i++) {
            String n = r.headers().name(i);
            if (!List.of("Location", "Content-Type", "Last-Modified", "ETag", "Accept-Ranges", "Content-Range").contains(n)) {
                sb.append(", ").append(n).append(": ").append(r.headers().value(i));
            }
        }
        r.body().close();
        return sb.toString();
    }

    /** A URL to test: http(s)://host[:port]/path?query, or /path?query for the default site. */
    private record Target(String url, String host, String path, String query) {
        static Target parse(String url) {
            String rest = url;
            String host = null;
            String lower = url.toLowerCase(java.util.Locale.ROOT);
            if (lower.startsWith("http://") || lower.startsWith("https://")) {
                rest = url.substring(url.indexOf("//") + 2);
                int slash = indexOfAny(rest, "/?#");
                host = slash < 0 ? rest : rest.substring(0, slash);
                rest = slash < 0 ? "/" : rest.substring(slash);
                if (host.isEmpty()) throw new IllegalArgumentException("no host in " + url);
                if (!rest.startsWith("/")) rest = "/" + rest;
            } else if (!url.startsWith("/")) {
                throw new IllegalArgumentException("'" + url + "': expected http://host/path or /path");
            }
            int hash = rest.indexOf('#');
            if (hash >= 0) rest = rest.substring(0, hash);
            int q = rest.indexOf('?');
            String path = q < 0 ? rest : rest.substring(0, q);
            String query = q < 0 ? null : rest.substring(q + 1);
            if (path.chars().anyMatch(ch -> ch <= 0x20 || ch >= 0x7F)) {
                throw new IllegalArgumentException("'" + url + "': percent-encode spaces and non-ASCII characters in the path");
            }
            return new Target(url, host, path, query);
        }

        /** The request-target: the path and query as given. */
        String target() { return query == null ? path : path + "?" + query; }

        private static int indexOfAny(String s, String chars) {
            for (int i = 0; i < s.length(); i++) if (chars.indexOf(s.charAt(i)) >= 0) return i;
            return -1;
        }
    }
}
