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
import io.tenk.model.Models;
import io.tenk.rules.Rule;
import io.tenk.rules.Trace;

import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * {@code tenk check --config F}: validates a config file and prints what it would serve (like
 * {@code nginx -t}). {@code tenk rules test --config F URL…}: for each URL, the site chosen, each
 * rule tried with its groups, and the result. Exit codes: 0 ok, 2 for a bad file or bad usage.
 */
final class ConfigTools {
    private ConfigTools() {}

    private static final String CHECK_USAGE = "usage: tenk check --config FILE";
    private static final String TEST_USAGE = "usage: tenk rules test --config FILE URL...  (URL: http://host/path?query or /path)";

    /** Runs a tool if {@code args} names one; returns its exit code, or -1 when it is not a tool. */
    static int dispatch(String[] args, PrintStream out, PrintStream err) {
        if (args.length >= 1 && args[0].equals("check")) return check(Arrays.asList(args).subList(1, args.length), out, err);
        if (args.length >= 1 && args[0].equals("rules")) {
            if (args.length >= 2 && args[1].equals("test")) return rulesTest(Arrays.asList(args).subList(2, args.length), out, err);
            return usage(err, TEST_USAGE);
        }
        return -1;
    }

    /** The --config value and the other arguments. */
    private record Args(Path config, List<String> rest, boolean help) {}

    private static Args parse(List<String> args) {
        Path config = null;
        List<String> rest = new ArrayList<>();
        boolean help = false;
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (a.equals("-h") || a.equals("--help")) help = true;
            else if (a.equals("-c") || a.equals("--config")) {
                if (i + 1 >= args.size()) throw new IllegalArgumentException("missing file after " + a);
                config = Path.of(args.get(++i));
            } else if (a.startsWith("--config=")) config = Path.of(a.substring("--config=".length()));
            else if (a.startsWith("-") && a.length() > 1) throw new IllegalArgumentException("unknown option " + a);
            else rest.add(a);
        }
        return new Args(config, rest, help);
    }

    private static int usage(PrintStream err, String text) {
        err.println("tenk: " + text);
        return Cli.USAGE;
    }

    private static ServerConfig load(Path file) {
        return ConfigFile.load(file, ServerConfig.defaults(Cli.defaultRoot()), Models::exists);
    }

    // ---- check ---------------------------------------------------------------------------------

    private static int check(List<String> argList, PrintStream out, PrintStream err) {
        Args a;
        try {
            a = parse(argList);
        } catch (IllegalArgumentException e) {
            return usage(err, e.getMessage() + "; " + CHECK_USAGE);
        }
        if (a.help()) {
            out.println(CHECK_USAGE);
            out.println("Validates the config file and prints what it would serve; exit code 0 if it is ok, 2 if not.");
            return Cli.OK;
        }
        if (a.config() == null && a.rest().size() == 1) a = new Args(Path.of(a.rest().getFirst()), List.of(), false);
        if (a.config() == null || !a.rest().isEmpty()) return usage(err, CHECK_USAGE);
        ServerConfig c;
        try {
            c = load(a.config());
        } catch (IllegalArgumentException e) {
            err.println("tenk: " + Cli.oneLine(e.getMessage()));
            return Cli.USAGE;
        }
        out.println("tenk: " + a.config() + " is ok");
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

    private static int rulesTest(List<String> argList, PrintStream out, PrintStream err) {
        Args a;
        try {
            a = parse(argList);
        } catch (IllegalArgumentException e) {
            return usage(err, e.getMessage() + "; " + TEST_USAGE);
        }
        if (a.help()) {
            out.println(TEST_USAGE);
            out.println("For each URL: the site chosen, each rule tried and whether it matched, the groups, and the result.");
            return Cli.OK;
        }
        if (a.config() == null || a.rest().isEmpty()) return usage(err, TEST_USAGE);
        ServerConfig c;
        try {
            c = load(a.config());
        } catch (IllegalArgumentException e) {
            err.println("tenk: " + Cli.oneLine(e.getMessage()));
            return Cli.USAGE;
        }
        List<Target> targets = new ArrayList<>();
        for (String url : a.rest()) {
            try {
                targets.add(Target.parse(url));
            } catch (IllegalArgumentException e) {
                return usage(err, e.getMessage());
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
