package io.tenk.config;

import io.tenk.handler.SiteOptions;
import io.tenk.rules.RuleSet;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One virtual host: the names it answers to, what it serves and how ({@link SiteOptions}: its
 * root, index names, listing, headers, …) and its rules.
 *
 * @param names      server names, normalized (lower case, no trailing dot): exact names
 *                   ({@code example.com}, IP literals, {@code [::1]}), leading wildcards
 *                   ({@code *.example.com}: any name ending in {@code .example.com}, not
 *                   {@code example.com} itself), or {@code *} for the default site
 * @param options    root (absolute), index names, listing, extra headers and the other per-site features
 * @param rules      the site's rules, evaluated in order for every request
 * @param ruleLines  for each rule of {@code rules} (by number − 1), the config file line it came
 *                   from; empty when the site was not read from a file
 * @param tls        the site's certificate and HTTPS settings, or null when it has none
 */
public record Site(List<String> names, SiteOptions options, RuleSet rules, List<Integer> ruleLines, TlsConfig tls) {

    /** The name that makes a site the default. */
    public static final String ANY = "*";
    public static final List<String> DEFAULT_INDEX = List.of("index.html");

    public Site {
        if (names.isEmpty()) throw new IllegalArgumentException("a site needs at least one name");
        List<String> normal = new ArrayList<>(names.size());
        for (String n : names) normal.add(normalizeName(n));
        names = List.copyOf(normal);
        if (options == null || options.root() == null) throw new IllegalArgumentException("a site needs a root");
        if (rules == null) rules = RuleSet.EMPTY;
        ruleLines = List.copyOf(ruleLines);
    }

    /** A site without TLS. */
    public Site(List<String> names, SiteOptions options, RuleSet rules, List<Integer> ruleLines) {
        this(names, options, rules, ruleLines, null);
    }

    /** The default site serving {@code root}: every name, the default options, no rules. */
    public static Site serving(Path root) {
        return serving(ServerConfig.defaultSiteOptions(root));
    }

    /** The site answering every name with these options and no rules. */
    public static Site serving(SiteOptions options) {
        return new Site(List.of(ANY), options, RuleSet.EMPTY, List.of());
    }

    /**
     * Checks that {@code root} can be served: an existing, readable directory.
     *
     * @throws IllegalArgumentException naming the problem and the directory
     */
    public static void checkRoot(Path root) {
        if (!Files.exists(root)) throw new IllegalArgumentException("directory " + root + " does not exist");
        if (!Files.isDirectory(root)) throw new IllegalArgumentException(root + " is not a directory");
        if (!Files.isReadable(root)) throw new IllegalArgumentException("directory " + root + " is not readable");
    }

    /** The document root. */
    public Path root() { return options.root(); }

    /** Names tried, in order, for a request naming a directory. */
    public List<String> index() { return options.indexFiles(); }

    public Site withOptions(SiteOptions o) { return new Site(names, o, rules, ruleLines, tls); }

    public Site withTls(TlsConfig t) { return new Site(names, options, rules, ruleLines, t); }

    public boolean isCatchAll() { return names.contains(ANY); }

    /** The config line of rule {@code number} (from 1), or 0 if unknown. */
    public int ruleLine(int number) {
        return number >= 1 && number <= ruleLines.size() ? ruleLines.get(number - 1) : 0;
    }

    /**
     * Checks and normalizes a server name: lower case, a trailing dot dropped.
     *
     * @throws IllegalArgumentException naming what is wrong
     */
    public static String normalizeName(String name) {
        if (name == null) throw new IllegalArgumentException("empty server name");
        String n = name.strip().toLowerCase(Locale.ROOT);
        if (n.equals(ANY)) return n;
        if (n.endsWith(".") && !n.endsWith("..")) n = n.substring(0, n.length() - 1);
        if (n.isEmpty()) throw new IllegalArgumentException("empty server name");
        if (n.startsWith("[") && n.endsWith("]")) {
            String v6 = n.substring(1, n.length() - 1);
            if (v6.isEmpty() || !v6.chars().allMatch(c -> Character.digit(c, 16) >= 0 || c == ':' || c == '.')) {
                throw new IllegalArgumentException("bad server name '" + name + "': bad IPv6 address");
            }
            return n;
        }
        String host = n.startsWith("*.") ? n.substring(2) : n;
        if (host.isEmpty() || host.startsWith(".") || host.endsWith(".") || host.contains("..")
                || !host.chars().allMatch(c -> c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '.' || c == '_')) {
            throw new IllegalArgumentException("bad server name '" + name
                    + "' (expected a host name, *.suffix for every subdomain, or * for the default site)");
        }
        return n;
    }
}
