package io.tenk.config;

import io.tenk.handler.SiteOptions;
import io.tenk.http.Limits;
import io.tenk.observe.AccessLog;
import io.tenk.rules.RuleException;
import io.tenk.rules.RuleSet;
import org.tomlj.Toml;
import org.tomlj.TomlArray;
import org.tomlj.TomlParseError;
import org.tomlj.TomlParseResult;
import org.tomlj.TomlPosition;
import org.tomlj.TomlTable;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads {@code tenk.toml}. Every problem (a TOML syntax error, an unknown key, a wrong type, an
 * invalid value, a rule that does not compile) is a {@link ConfigException} naming the file, the
 * line and the key; the first one found is reported.
 *
 * <pre>
 * [server]          listen = ["127.0.0.1:8080", "[::1]:8080", "https://127.0.0.1:8443"], model = "reactor", access_log = true,
 *                   log_format = "combined" or "json",
 *                   threads, queue, workers (integers), selector = "epoll" or "poll",
 *                   tcp_nopush (boolean: file responses corked, TCP_CORK),
 *                   reuseport (boolean: reactor, a listening socket per loop, SO_REUSEPORT)
 * [limits]          max_request_line, max_header_section, max_header_count (integers)
 * [timeouts]        header, body, idle, write, shutdown ("10s", "500ms", "2m" or whole seconds),
 *                   min_write_rate (bytes per second, 0 for none)
 * [admin]           listen = "127.0.0.1:9090" (metrics and health; none by default)
 * [log]             access = "FILE", error = "FILE" (relative to the file; SIGUSR1 reopens them)
 * [[site]]          names = [...], root = "dir" (relative to the file), index = ["index.html"],
 *                   listing, spa, compression, error_pages (booleans), cors = "*" or an origin,
 *                   max_age (seconds), headers = { "Name" = "value", … },
 *                   tls = { cert = "chain.pem", key = "key.pem", hsts = false }, or tls = "acme"
 *                   (or { acme = true, hsts = false }): a certificate by ACME
 * [acme]            directory = "https://…" (Let's Encrypt by default), email, storage = "dir",
 *                   ca = "roots.pem" (to trust for the directory), retry = "1m"
 * [[site.rule]]     exactly one of redirect / rewrite / deny / header / fallback, plus its options
 * </pre>
 *
 * Whatever the file leaves out comes from the {@code base} configuration passed in (the
 * defaults, with the command line's root); a file without {@code [[site]]} keeps base's sites.
 */
public final class ConfigFile {

    private final String file;
    private final Path dir;
    private String[] lines = new String[0];

    private ConfigFile(Path path) {
        this.file = path.toString();
        Path parent = path.toAbsolutePath().normalize().getParent();
        this.dir = parent == null ? Path.of("").toAbsolutePath() : parent;
    }

    /**
     * Loads {@code path} on top of {@code base}.
     *
     * @throws ConfigException for any problem, including a file that cannot be read
     */
    public static ServerConfig load(Path path, ServerConfig base) {
        ConfigFile cf = new ConfigFile(path);
        String text;
        try {
            if (Files.isDirectory(path)) throw new ConfigException(cf.file, 0, "", "is a directory, not a config file");
            text = Files.readString(path);
        } catch (NoSuchFileException e) {
            throw new ConfigException(cf.file, 0, "", "no such file");
        } catch (IOException e) {
            throw new ConfigException(cf.file, 0, "", "cannot read: " + (e.getMessage() == null ? "I/O error" : e.getMessage()));
        }
        return cf.read(text, base);
    }

    /** Parses TOML text as if it were the file {@code name} (tests, and tools reading stdin). */
    public static ServerConfig parse(String text, Path name, ServerConfig base) {
        return new ConfigFile(name).read(text, base);
    }

    /**
     * Parses and reads the text. Values nested deeper than the stack allows (arrays or inline
     * tables thousands deep) are one line like any other problem, not a stack trace.
     */
    private ServerConfig read(String text, ServerConfig base) {
        lines = text.split("\r?\n", -1);
        try {
            return read(Toml.parse(text), base);
        } catch (StackOverflowError e) {
            throw new ConfigException(file, 0, "", "TOML syntax: values nested too deeply");
        }
    }

    private ServerConfig read(TomlParseResult toml, ServerConfig base) {
        if (toml.hasErrors()) {
            TomlParseError e = toml.errors().getFirst();
            String msg = e.getMessage() == null ? "syntax error" : e.getMessage();
            throw new ConfigException(file, e.position() == null ? 0 : e.position().line(), "", "TOML syntax: " + msg);
        }
        Section top = new Section(toml, "", 1);
        top.allow("server", "limits", "timeouts", "site", "admin", "log", "acme");
        ServerConfig.Builder cfg = base.toBuilder();

        Section server = top.table("server");
        if (server != null) {
            server.allow("listen", "model", "threads", "queue", "selector", "workers", "tcp_nopush", "reuseport", "access_log", "log_format");
            List<Item> listen = server.array("listen");
            if (listen != null) {
                if (listen.isEmpty()) throw server.error("listen", "needs at least one address");
                List<Listen> addresses = new ArrayList<>();
                Set<String> seen = new LinkedHashSet<>();
                for (Item it : listen) {
                    String text = it.string();
                    try {
                        Listen l = Listen.parse(text);
                        if (!seen.add(l.toString())) throw it.error("address " + l + " listed twice");
                        addresses.add(l);
                    } catch (ConfigException e) {
                        throw e;
                    } catch (IllegalArgumentException e) {
                        throw it.error(e.getMessage());
                    }
                }
                cfg.listen(addresses);
            }
            String model = server.string("model");
            if (model != null) {
                cfg.model(ModelKind.find(model).orElseThrow(() -> server.error("model", "unknown model '" + model + "'")));
            }
            ModelOptions k = base.knobs();
            cfg.threads(server.intIn("threads", 0, ModelOptions.MAX_THREADS, k.threads()));
            cfg.queue(server.intIn("queue", 0, ModelOptions.MAX_QUEUE, k.queue()));
            cfg.workers(server.intIn("workers", 0, ModelOptions.MAX_WORKERS, k.workers()));
            String selector = server.string("selector");
            if (selector != null) {
                cfg.selector(SelectorKind.find(selector).orElseThrow(() -> server.error("selector",
                        "expected " + String.join(" or ", Arrays.stream(SelectorKind.values()).map(v -> "\"" + v.id() + "\"").toList()))));
            }
            Boolean nopush = server.bool("tcp_nopush");
            if (nopush != null) cfg.tcpNopush(nopush);
            Boolean reusePort = server.bool("reuseport");
            if (reusePort != null) cfg.listenPerLoop(reusePort);
            Boolean accessLog = server.bool("access_log");
            if (accessLog != null) cfg.accessLog(accessLog);
            String logFormat = server.string("log_format");
            if (logFormat != null) {
                AccessLog.Format f = logFormat(logFormat);
                if (f == null) throw server.error("log_format", "expected \"combined\" or \"json\"");
                cfg.logFormat(f);
            }
        }

        Section limits = top.table("limits");
        if (limits != null) {
            limits.allow("max_request_line", "max_header_section", "max_header_count", "max_connections");
            Limits l = base.limits();
            int line = limits.intIn("max_request_line", 16, 1 << 20, l.maxRequestLine());
            int section = limits.intIn("max_header_section", 16, 1 << 24, l.maxHeaderSection());
            int count = limits.intIn("max_header_count", 1, 10_000, l.maxHeaderCount());
            cfg.limits(new Limits(line, section, count));
            cfg.maxConnections(limits.intIn("max_connections", 1, 10_000_000, base.maxConnections()));
        }

        Section timeouts = top.table("timeouts");
        if (timeouts != null) {
            timeouts.allow("header", "body", "idle", "write", "shutdown", "min_write_rate");
            Timeouts t = base.timeouts();
            cfg.timeouts(new Timeouts(
                    timeouts.duration("header", t.header()), timeouts.duration("body", t.body()),
                    timeouts.duration("idle", t.idle()), timeouts.duration("write", t.write()),
                    timeouts.duration("shutdown", t.shutdown()),
                    timeouts.intIn("min_write_rate", 0, Integer.MAX_VALUE, (int) t.minWriteRate())));
        }

        cfg.observe(observe(top, base.observe()));

        List<Section> siteTables = top.tables("site");
        if (siteTables != null) {
            if (siteTables.isEmpty()) throw top.error("site", "needs at least one site");
            List<Site> sites = new ArrayList<>();
            Map<String, String> nameOwner = new HashMap<>();
            AcmeConfig acme = acme(top);
            for (Section s : siteTables) sites.add(site(s, nameOwner, acme));
            cfg.sites(sites);
        }
        try {
            return cfg.build();
        } catch (IllegalArgumentException e) {
            throw new ConfigException(file, 0, "", e.getMessage()); // a combination no single key breaks
        }
    }

    /** {@code [admin] listen} and {@code [log] access, error}, over {@code o}. */
    private ObserveOptions observe(Section top, ObserveOptions o) {
        Section admin = top.table("admin");
        if (admin != null) {
            admin.allow("listen", "drain_delay");
            String text = admin.requiredString("listen", "the admin listener's address, e.g. \"127.0.0.1:9090\"");
            try {
                o = o.withAdmin(Listen.parse(text));
            } catch (IllegalArgumentException e) {
                throw admin.error("listen", e.getMessage());
            }
            o = o.withDrainDelay(admin.duration("drain_delay", o.drainDelay()));
        }
        Section log = top.table("log");
        if (log != null) {
            log.allow("access", "error");
            Path access = logFile(log, "access");
            if (access != null) o = o.withAccessFile(access);
            Path error = logFile(log, "error");
            if (error != null) o = o.withErrorFile(error);
        }
        return o;
    }

    /** A log file named by {@code key}, relative to the config file's folder; null when not given. */
    private Path logFile(Section s, String key) {
        String text = s.string(key);
        if (text == null) return null;
        if (text.isEmpty()) throw s.error(key, "empty path");
        Path p;
        try {
            p = dir.resolve(text).toAbsolutePath().normalize();
        } catch (RuntimeException e) {
            throw s.error(key, "bad path");
        }
        String problem = ObserveOptions.logFileProblem(p);
        if (problem != null) throw s.error(key, problem);
        return p;
    }

    /** {@code [acme]}: the CA of the sites with {@code tls = "acme"}; its defaults when absent. */
    private AcmeConfig acme(Section top) {
        AcmeConfig d = AcmeConfig.defaults();
        Section a = top.table("acme");
        if (a == null) return d;
        a.allow("directory", "email", "storage", "ca", "retry");
        URI directory = d.directory();
        String text = a.string("directory");
        if (text != null) {
            try {
                directory = new URI(text);
            } catch (URISyntaxException e) {
                throw a.error("directory", "not a URL");
            }
            if (!"https".equals(directory.getScheme()) || directory.getHost() == null) {
                throw a.error("directory", "expected an https:// URL, such as " + AcmeConfig.LETS_ENCRYPT);
            }
        }
        String email = a.string("email");
        if (email != null && (email.isBlank() || !email.contains("@") || email.chars().anyMatch(c -> c <= ' '))) {
            throw a.error("email", "not an email address");
        }
        Path storage = null;
        String dirText = a.string("storage");
        if (dirText != null) {
            if (dirText.isEmpty()) throw a.error("storage", "empty path");
            try {
                storage = dir.resolve(dirText).toAbsolutePath().normalize();
            } catch (RuntimeException e) {
                throw a.error("storage", "bad path");
            }
        }
        Path ca = a.has("ca") ? readableFile(a, "ca", "the CA certificates to trust, PEM") : null;
        return new AcmeConfig(directory, email, storage, ca, a.duration("retry", d.retry()));
    }

    private Site site(Section s, Map<String, String> nameOwner, AcmeConfig acme) {
        s.allow("names", "root", "index", "listing", "spa", "cors", "headers", "max_age", "compression", "error_pages", "rule", "tls");
        List<Item> nameItems = s.array("names");
        if (nameItems == null) throw s.error("names", "missing (the names this site answers to; \"*\" for the default site)");
        if (nameItems.isEmpty()) throw s.error("names", "needs at least one name");
        List<String> names = new ArrayList<>();
        for (Item it : nameItems) {
            String n;
            try {
                n = Site.normalizeName(it.string());
            } catch (IllegalArgumentException e) {
                throw it.error(e.getMessage());
            }
            String owner = nameOwner.putIfAbsent(n, s.path);
            if (owner != null && owner.equals(s.path)) throw it.error("name '" + n + "' listed twice");
            if (owner != null) {
                throw it.error(n.equals(Site.ANY) ? "a second default site (\"*\" is already a name of " + owner + ")"
                        : "name '" + n + "' is already a name of " + owner);
            }
            names.add(n);
        }

        String rootText = s.string("root");
        if (rootText == null) throw s.error("root", "missing (the directory this site serves)");
        if (rootText.isEmpty()) throw s.error("root", "empty path");
        Path root;
        try {
            root = dir.resolve(rootText).toAbsolutePath().normalize();
        } catch (RuntimeException e) {
            throw s.error("root", "bad path");
        }
        try {
            Site.checkRoot(root);
        } catch (IllegalArgumentException e) {
            throw s.error("root", e.getMessage());
        }

        List<String> index = SiteOptions.DEFAULT_INDEX;
        List<Item> indexItems = s.array("index");
        if (indexItems != null) {
            index = new ArrayList<>();
            for (Item it : indexItems) {
                String name = it.string();
                try {
                    SiteOptions.checkIndexName(name);
                } catch (IllegalArgumentException e) {
                    throw it.error(e.getMessage());
                }
                index.add(name);
            }
        }

        RuleSet.Builder rules = RuleSet.builder();
        List<Integer> ruleLines = new ArrayList<>();
        List<Section> ruleTables = s.tables("rule");
        if (ruleTables != null) {
            for (Section r : ruleTables) rule(r, rules, ruleLines);
        }
        return new Site(names, siteOptions(s, root, index), rules.build(), ruleLines, tls(s, names, acme));
    }

    /**
     * A site's {@code tls = { cert = "...", key = "...", hsts = false }}, paths relative to the
     * file, or {@code tls = "acme"} / {@code tls = { acme = true, hsts = false }}; null when absent.
     */
    private TlsConfig tls(Section site, List<String> names, AcmeConfig acme) {
        if (!site.has("tls")) return null;
        String expected = "expected \"acme\" or a table: tls = { cert = \"cert.pem\", key = \"key.pem\" }";
        boolean byAcme;
        Boolean hsts = null;
        Path cert = null, key = null;
        if (site.get("tls") instanceof String word) {
            if (!word.equals("acme")) throw site.error("tls", expected);
            byAcme = true;
        } else {
            Section t = site.table("tls");
            t.allow("cert", "key", "hsts", "acme");
            byAcme = Boolean.TRUE.equals(t.bool("acme"));
            hsts = t.bool("hsts");
            if (byAcme && (t.has("cert") || t.has("key"))) {
                throw t.error(t.has("cert") ? "cert" : "key", "a certificate by ACME has no files: leave out cert and key, or acme");
            }
            if (!byAcme) {
                cert = readableFile(t, "cert", "the certificate chain, PEM");
                key = readableFile(t, "key", "the private key, PEM");
            }
        }
        if (!byAcme) return new TlsConfig(cert, key, hsts != null && hsts);
        String problem = AcmeConfig.namesProblem(names);
        if (problem != null) throw site.error("tls", problem);
        return TlsConfig.acme(acme, hsts != null && hsts);
    }

    private Path readableFile(Section s, String key, String what) {
        String text = s.requiredString(key, what);
        Path p;
        try {
            p = dir.resolve(text).toAbsolutePath().normalize();
        } catch (RuntimeException e) {
            throw s.error(key, "bad path");
        }
        if (!Files.isRegularFile(p) || !Files.isReadable(p)) throw s.error(key, "cannot read file " + p);
        return p;
    }

    /** The per-site features: defaults from {@link ServerConfig#defaultSiteOptions}, keys override them. */
    private SiteOptions siteOptions(Section s, Path root, List<String> index) {
        SiteOptions o = ServerConfig.defaultSiteOptions(root).with(b -> b.indexFiles(index));
        Boolean listing = s.bool("listing");
        Boolean spa = s.bool("spa");
        Boolean compression = s.bool("compression");
        Boolean errorPages = s.bool("error_pages");
        long maxAge = s.integer("max_age", o.maxAgeSeconds());
        if (maxAge < 0 || maxAge > 10L * 365 * 86_400) throw s.error("max_age", "out of range: " + maxAge + " (seconds, 0 = always revalidate)");
        o = o.with(b -> {
            if (listing != null) b.listing(listing);
            if (spa != null) b.spa(spa);
            if (compression != null) b.compression(compression);
            if (errorPages != null) b.errorPages(errorPages);
            b.maxAge(maxAge);
        });
        String cors = s.string("cors");
        if (cors != null) {
            try {
                o = o.with(b -> b.cors(cors));
            } catch (IllegalArgumentException e) {
                throw s.error("cors", e.getMessage());
            }
        }
        Section headers = s.table("headers");
        if (headers != null) {
            List<SiteOptions.HeaderField> fields = new ArrayList<>();
            for (String name : headers.table.keySet()) {
                String value = headers.string(name);
                try {
                    fields.add(new SiteOptions.HeaderField(name, value));
                } catch (IllegalArgumentException e) {
                    throw headers.error(name, e.getMessage());
                }
            }
            o = o.with(b -> b.headers(fields));
        }
        return o;
    }

    /** Fields the protocol layer writes itself. */
    private static final List<String> KINDS = List.of("redirect", "rewrite", "deny", "header", "fallback");

    private void rule(Section r, RuleSet.Builder rules, List<Integer> ruleLines) {
        List<String> kinds = KINDS.stream().filter(r::has).toList();
        if (kinds.size() != 1) {
            throw r.error("", kinds.isEmpty() ? "a rule needs one of redirect, rewrite, deny, header or fallback"
                    : "a rule has exactly one of redirect, rewrite, deny, header or fallback (found " + String.join(" and ", kinds) + ")");
        }
        String kind = kinds.getFirst();
        int before = ruleLines.size();
        try {
            switch (kind) {
                case "redirect" -> {
                    r.allow("redirect", "to", "status");
                    String pattern = r.string("redirect");
                    String to = r.requiredString("to", "where to redirect (a path or an http(s):// URL)");
                    rules.redirect(pattern, to, (int) r.integer("status", 302));
                    ruleLines.add(r.lineOf("redirect"));
                }
                case "rewrite" -> {
                    r.allow("rewrite", "to", "stop");
                    String pattern = r.string("rewrite");
                    String to = r.requiredString("to", "the new path");
                    Boolean stop = r.bool("stop");
                    rules.rewrite(pattern, to, stop != null && stop);
                    ruleLines.add(r.lineOf("rewrite"));
                }
                case "deny" -> {
                    r.allow("deny", "status");
                    rules.deny(r.string("deny"), (int) r.integer("status", 403));
                    ruleLines.add(r.lineOf("deny"));
                }
                case "header" -> {
                    r.allow("header", "set", "add");
                    String pattern = r.string("header");
                    Section set = r.table("set");
                    Section add = r.table("add");
                    if (set == null && add == null) throw r.error("header", "a header rule needs set = { … } or add = { … }");
                    for (Section t : new Section[] {set, add}) {
                        if (t == null) continue;
                        if (t.table.isEmpty()) throw r.error(t == set ? "set" : "add", "no header named");
                        for (String name : t.table.keySet()) {
                            String value = t.string(name);
                            int number = ruleLines.size() + 1;
                            try {
                                if (t == set) rules.setHeader(pattern, name, value);
                                else rules.addHeader(pattern, name, value);
                            } catch (RuleException e) {
                                if (e.problem().startsWith("bad pattern")) throw e;
                                throw t.error(name, e.problem());
                            }
                            ruleLines.add(r.lineOf("header"));
                            assert number == ruleLines.size();
                        }
                    }
                }
                case "fallback" -> {
                    r.allow("fallback", "match");
                    String file = r.string("fallback");
                    String match = r.string("match");
                    rules.fallback(match == null ? "" : match, file);
                    ruleLines.add(r.lineOf("fallback"));
                }
                default -> throw new IllegalStateException(kind);
            }
        } catch (RuleException e) {
            ruleLines.subList(before, ruleLines.size()).clear();
            String p = e.problem();
            String key = p.startsWith("bad pattern") || p.startsWith("missing pattern") ? (kind.equals("fallback") ? "match" : kind)
                    : p.startsWith("bad status") ? "status"
                    : kind.equals("fallback") ? "fallback" : "to";
            throw r.error(key, p);
        }
    }

    /** The access-log format named {@code name} ({@code combined} or {@code json}), or null. */
    public static AccessLog.Format logFormat(String name) {
        return switch (name) {
            case "combined" -> AccessLog.Format.COMBINED;
            case "json" -> AccessLog.Format.JSON;
            default -> null;
        };
    }

    // ---- typed access with positions ---------------------------------------------------------

    /** A value inside an array, with where it is. */
    private final class Item {
        final Object value;
        final String key;
        final int line;

        Item(Object value, String key, int line) {
            this.value = value;
            this.key = key;
            this.line = line;
        }

        String string() {
            if (value instanceof String s) return s;
            throw error("expected a string, found " + typeName(value));
        }

        ConfigException error(String problem) { return new ConfigException(file, line, key, problem); }
    }

    /** A table being read; remembers its key path for messages. */
    private final class Section {
        final TomlTable table;
        final String path;
        final int line;

        Section(TomlTable table, String path, int line) {
            this.table = table;
            this.path = path;
            this.line = line;
        }

        String keyOf(String key) {
            if (key.isEmpty()) return path;
            String k = key.chars().allMatch(c -> c < 0x80 && (Character.isLetterOrDigit(c) || c == '_' || c == '-')) ? key : "\"" + key + "\"";
            return path.isEmpty() ? k : path + "." + k;
        }

        int lineOf(String key) {
            if (key.isEmpty() || !table.contains(List.of(key))) return line;
            TomlPosition p = table.inputPositionOf(List.of(key));
            return p == null ? line : p.line();
        }

        ConfigException error(String key, String problem) {
            return new ConfigException(file, lineOf(key), keyOf(key), problem);
        }

        boolean has(String key) { return table.contains(List.of(key)); }

        Object get(String key) { return table.get(List.of(key)); }

        /** Every key must be one of {@code known}. */
        void allow(String... known) {
            List<String> ok = List.of(known);
            for (String key : table.keySet()) {
                if (!ok.contains(key)) {
                    throw error(key, "unknown key" + (ok.isEmpty() ? "" : " (expected " + String.join(", ", ok) + ")"));
                }
            }
        }

        String string(String key) {
            Object v = get(key);
            if (v == null) return null;
            if (v instanceof String s) return s;
            throw error(key, "expected a string, found " + typeName(v));
        }

        String requiredString(String key, String what) {
            String s = string(key);
            if (s == null) throw error(key, "missing (" + what + ")");
            return s;
        }

        Boolean bool(String key) {
            Object v = get(key);
            if (v == null) return null;
            if (v instanceof Boolean b) return b;
            throw error(key, "expected true or false, found " + typeName(v));
        }

        long integer(String key, long otherwise) {
            Object v = get(key);
            if (v == null) return otherwise;
            if (v instanceof Long l) return l;
            throw error(key, "expected an integer, found " + typeName(v));
        }

        int intIn(String key, int min, int max, int otherwise) {
            long v = integer(key, otherwise);
            if (v < min || v > max) throw error(key, "out of range: " + v + " (expected " + min + " to " + max + ")");
            return (int) v;
        }

        Duration duration(String key, Duration otherwise) {
            Object v = get(key);
            if (v == null) return otherwise;
            Duration d;
            if (v instanceof Long secs) {
                d = secs > 0 && secs <= 86_400 ? Duration.ofSeconds(secs) : null;
            } else if (v instanceof String s) {
                d = parseDuration(s);
                if (d == null) throw error(key, "bad duration '" + s + "' (expected e.g. \"500ms\", \"10s\", \"2m\")");
            } else {
                throw error(key, "expected a duration such as \"10s\", found " + typeName(v));
            }
            if (d == null || d.isZero() || d.isNegative() || d.compareTo(Duration.ofDays(1)) > 0) {
                throw error(key, "out of range (expected more than 0 and at most 1 day)");
            }
            return d;
        }

        Section table(String key) {
            Object v = get(key);
            if (v == null) return null;
            if (v instanceof TomlTable t) return new Section(t, keyOf(key), lineOf(key));
            throw error(key, "expected a table, found " + typeName(v));
        }

        /** An array of tables ({@code [[key]]}); elements named {@code key[1]}, {@code key[2]}, … */
        List<Section> tables(String key) {
            Object v = get(key);
            if (v == null) return null;
            if (!(v instanceof TomlArray a)) throw error(key, "expected [[" + keyOf(key) + "]] tables, found " + typeName(v));
            List<Section> out = new ArrayList<>();
            for (int i = 0; i < a.size(); i++) {
                TomlPosition p = a.inputPositionOf(i);
                if (!(a.get(i) instanceof TomlTable)) {
                    throw new ConfigException(file, p == null ? lineOf(key) : p.line(), keyOf(key) + "[" + (i + 1) + "]",
                            "expected a table, found " + typeName(a.get(i)));
                }
                out.add(new Section(a.getTable(i), keyOf(key) + "[" + (i + 1) + "]", p == null ? lineOf(key) : p.line()));
            }
            return out;
        }

        List<Item> array(String key) {
            Object v = get(key);
            if (v == null) return null;
            if (!(v instanceof TomlArray a)) throw error(key, "expected an array, found " + typeName(v));
            List<Item> out = new ArrayList<>();
            for (int i = 0; i < a.size(); i++) {
                TomlPosition p = a.inputPositionOf(i);
                out.add(new Item(a.get(i), keyOf(key) + "[" + (i + 1) + "]", p == null ? lineOf(key) : valueLine(p)));
            }
            return out;
        }
    }

    /**
     * tomlj places an array element where the whitespace before it starts; the value itself may
     * be on a later line. Skips blanks, newlines and comments from there.
     */
    private int valueLine(TomlPosition p) {
        int line = p.line();
        int col = p.column() - 1;
        while (line >= 1 && line <= lines.length) {
            String l = lines[line - 1];
            while (col < l.length() && (l.charAt(col) == ' ' || l.charAt(col) == '\t')) col++;
            if (col < l.length() && l.charAt(col) != '#') return line;
            line++;
            col = 0;
        }
        return p.line();
    }

    private static final Pattern DURATION = Pattern.compile("(\\d{1,9})\\s*(ms|s|m|h)");

    /** {@code 500ms}, {@code 10s}, {@code 2m}, {@code 1h}; null if malformed. */
    static Duration parseDuration(String s) {
        Matcher m = DURATION.matcher(s.strip().toLowerCase(Locale.ROOT));
        if (!m.matches()) return null;
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            default -> Duration.ofHours(n);
        };
    }

    private static String typeName(Object v) {
        return switch (v) {
            case String _ -> "a string";
            case Long _ -> "an integer";
            case Double _ -> "a float";
            case Boolean _ -> "a boolean";
            case TomlArray _ -> "an array";
            case TomlTable _ -> "a table";
            default -> "a date/time";
        };
    }
}
