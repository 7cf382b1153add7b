package io.tenk.rules;

import io.tenk.http.PercentCodec;
import io.tenk.http.RequestPath;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A site's rules, evaluated in order. Immutable and thread-safe; does no I/O.
 *
 * <h2>Which path the patterns see</h2>
 * {@link #evaluate} takes the path of the request as {@link RequestPath} made it: percent-decoded
 * (UTF-8), dot segments removed, empty segments collapsed. Patterns are matched against that one
 * value, the same the files are resolved from, so authors write readable patterns
 * ({@code ^/café/}) and neither {@code %2e%67it}, {@code //private/} nor {@code /x/../private/}
 * can slip past a rule. A path not in that form is normalised first; one that cannot be is
 * {@link Outcome.Kind#INVALID_PATH} (400).
 *
 * <h2>Evaluation</h2>
 * Each rule's pattern is searched in the current path (like Python's {@code re.search}):
 * <ul>
 *   <li>redirect: stop; the Location is built from the match (see {@link Outcome.Redirect}).</li>
 *   <li>rewrite: the current path becomes the expanded target, normalised like a request's path
 *       (one that climbs above the root is {@link Outcome.Kind#INVALID_PATH}); go on with the
 *       next rule, or stop if the rule says so.</li>
 *   <li>deny: stop with 403 or 404.</li>
 *   <li>header: collect a header action; go on. A SET drops earlier actions of that name.</li>
 *   <li>fallback: remember the expanded file if no fallback was remembered yet; go on.</li>
 * </ul>
 * If no rule stopped, the outcome is {@link Outcome.Serve} with the current path.
 *
 * <h2>Precompressed siblings</h2>
 * A decision about a path governs every representation of it. Given the suffixes of
 * precompressed siblings ({@code .gz}, …), a path naming one ({@code /config.json.gz}) is also
 * governed by its base ({@code /config.json}): when its own rules would serve it, a base that is
 * denied denies it the same way, and a base that is rewritten to {@code /x} serves {@code /x.gz}.
 *
 * <h2>Bounded matching</h2>
 * Patterns RE2/J accepts run in linear time. Others (back-references, lookaround) run on
 * java.util.regex with a budget of character reads per match ({@link PyRegex#DEFAULT_BUDGET}
 * unless the builder says otherwise); overrunning it yields {@link Outcome.Kind#MATCH_BUDGET_EXCEEDED}.
 */
public final class RuleSet {

    public static final RuleSet EMPTY = new RuleSet(List.of(), PyRegex.DEFAULT_BUDGET);

    private final List<Rule> rules;
    private final long budget;

    private RuleSet(List<Rule> rules, long budget) {
        this.rules = List.copyOf(rules);
        this.budget = budget;
    }

    public static Builder builder() { return new Builder(); }

    public List<Rule> rules() { return rules; }

    public boolean isEmpty() { return rules.isEmpty(); }

    /** Evaluates the rules for a request path (decoded and normalised, see above). */
    public Outcome evaluate(String path) { return evaluate(path, List.of()); }

    /** Evaluates the rules for {@code path}, its base governing it if it names a precompressed sibling. */
    public Outcome evaluate(String path, List<String> siblingSuffixes) {
        return decide(path, siblingSuffixes, null);
    }

    /** Evaluates like {@link #evaluate(String, List)} and records every rule tried. */
    public Trace trace(String path, List<String> siblingSuffixes) {
        Recording rec = new Recording();
        Outcome o = decide(path, siblingSuffixes, rec);
        return new Trace(path, rec.steps, rec.base, rec.baseSteps, o);
    }

    /** What {@link #trace} collects: the path's own steps, and its base's when that was consulted. */
    private static final class Recording {
        final List<Trace.Step> steps = new ArrayList<>();
        final List<Trace.Step> baseSteps = new ArrayList<>();
        String base;
    }

    private Outcome decide(String path, List<String> suffixes, Recording rec) {
        Outcome own = run(path, rec == null ? null : rec.steps);
        if (!(own instanceof Outcome.Serve s)) return own;
        String current = RequestPath.normalize(path);
        for (String suffix : suffixes) {
            int cut = current.length() - suffix.length();
            if (!current.endsWith(suffix) || cut < 2 || current.charAt(cut - 1) == '/') continue;
            String base = current.substring(0, cut);
            if (rec != null) rec.base = base;
            return switch (run(base, rec == null ? null : rec.baseSteps)) {
                case Outcome.Deny d -> d;
                case Outcome.Error e -> e;
                case Outcome.Serve b when b.rewritten() -> new Outcome.Serve(b.path() + suffix, true, s.headers(), s.fallback());
                default -> own;
            };
        }
        return own;
    }

    private Outcome run(String path, List<Trace.Step> steps) {
        String current = RequestPath.normalize(path);
        if (current == null) {
            return new Outcome.Error(Outcome.Kind.INVALID_PATH, 0, "rules: the path climbs above the root or holds a control character");
        }
        boolean rewritten = false;
        List<HeaderAction> headers = new ArrayList<>();
        String fallback = null;
        for (Rule rule : rules) {
            Optional<Match> found;
            try {
                found = rule.pattern().search(current, budget);
            } catch (MatchBudgetExceededException e) {
                String line = "rule " + rule.number() + " (" + rule.kind() + "): " + e.getMessage()
                        + " on a " + current.length() + "-char path";
                if (steps != null) steps.add(step(rule, current, null, "error: " + e.getMessage()));
                return new Outcome.Error(Outcome.Kind.MATCH_BUDGET_EXCEEDED, rule.number(), line);
            }
            if (found.isEmpty()) {
                if (steps != null) steps.add(step(rule, current, null, "no match"));
                continue;
            }
            Match m = found.get();
            switch (rule) {
                case Rule.Redirect r -> {
                    String location = location(r, m);
                    if (steps != null) steps.add(step(rule, current, m, "redirect " + r.status().code() + " " + location));
                    return new Outcome.Redirect(r.status(), location, headers);
                }
                case Rule.Deny d -> {
                    if (steps != null) steps.add(step(rule, current, m, "deny " + d.status().code()));
                    return new Outcome.Deny(d.status());
                }
                case Rule.Rewrite w -> {
                    String subject = current;
                    current = RequestPath.normalize(w.to().expand(m));
                    if (current == null) {
                        if (steps != null) steps.add(step(rule, subject, m, "error: the result climbs above the root"));
                        return new Outcome.Error(Outcome.Kind.INVALID_PATH, rule.number(),
                                "rule " + rule.number() + " (rewrite): the result climbs above the root");
                    }
                    rewritten = true;
                    if (steps != null) steps.add(step(rule, subject, m, "rewrite " + current + (w.stop() ? " (stop)" : "")));
                    if (w.stop()) return new Outcome.Serve(current, true, headers, Optional.ofNullable(fallback));
                }
                case Rule.Header h -> {
                    if (h.action().mode() == HeaderAction.Mode.SET) headers.removeIf(a -> a.sameName(h.action().name()));
                    headers.add(h.action());
                    if (steps != null) steps.add(step(rule, current, m, h.action().toString()));
                }
                case Rule.Fallback f -> {
                    String file = RequestPath.normalize(f.file().expand(m));
                    boolean first = fallback == null && file != null;
                    if (first) fallback = file;
                    if (steps != null) {
                        steps.add(step(rule, current, m, file == null ? "fallback ignored: it climbs above the root"
                                : "fallback " + file + (first ? "" : " (ignored: an earlier fallback matched)")));
                    }
                }
            }
        }
        return new Outcome.Serve(current, rewritten, headers, Optional.ofNullable(fallback));
    }

    private static Trace.Step step(Rule rule, String subject, Match m, String result) {
        return new Trace.Step(rule.number(), rule.kind(), rule.pattern().source(), subject, m != null,
                m == null ? Map.of() : m.captured(), result);
    }

    /**
     * Builds the Location of a redirect. Literal parts of the target are URL text, used as
     * written (only characters a URI cannot hold are encoded); groups are percent-encoded for the
     * part of the URL they land in (path, or query/fragment after a literal '?' or '#'). A local
     * target then has dot segments removed and leading slashes collapsed, so it always starts with
     * exactly one '/'; '\' and control characters can only appear percent-encoded.
     */
    static String location(Rule.Redirect r, Match m) {
        StringBuilder sb = new StringBuilder();
        boolean inPath = true;
        for (Replacement.Part part : r.to().parts()) {
            switch (part) {
                case Replacement.Literal l -> {
                    sb.append(PercentCodec.encodeUrlLiteral(l.text()));
                    if (l.text().indexOf('?') >= 0 || l.text().indexOf('#') >= 0) inPath = false;
                }
                case Replacement.Group g -> {
                    String v = m.group(g.number());
                    if (v != null) sb.append(inPath ? PercentCodec.encodePath(v) : PercentCodec.encodeQueryValue(v));
                }
            }
        }
        String loc = sb.toString();
        if (!r.absolute()) {
            int cut = indexOfAny(loc, "?#");
            String path = cut < 0 ? loc : loc.substring(0, cut);
            loc = RequestPath.clampUrlPath(path) + (cut < 0 ? "" : loc.substring(cut));
            if (!loc.startsWith("/") || loc.startsWith("//") || loc.startsWith("/\\")) {
                throw new IllegalStateException("unsafe location built"); // unreachable by construction
            }
        }
        if (!loc.chars().allMatch(c -> c > 0x20 && c < 0x7F)) throw new IllegalStateException("unsafe location built");
        return loc;
    }

    private static int indexOfAny(String s, String chars) {
        for (int i = 0; i < s.length(); i++) if (chars.indexOf(s.charAt(i)) >= 0) return i;
        return -1;
    }

    /** Adds rules in order; each method compiles its rule at once and numbers it from 1. */
    public static final class Builder {
        private final List<Rule> rules = new ArrayList<>();
        private long budget = PyRegex.DEFAULT_BUDGET;

        private Builder() {}

        private int next() { return rules.size() + 1; }

        /** Redirect with status 301, 302, 303, 307 or 308 to {@code to} (a path or http(s) URL). */
        public Builder redirect(String pattern, String to, int status) {
            rules.add(Rule.redirect(next(), pattern, to, status));
            return this;
        }

        /** Rewrite the path to {@code to}; {@code stop} ends evaluation (nginx's "break"). */
        public Builder rewrite(String pattern, String to, boolean stop) {
            rules.add(Rule.rewrite(next(), pattern, to, stop));
            return this;
        }

        /** Deny with 403 or 404. */
        public Builder deny(String pattern, int status) {
            rules.add(Rule.deny(next(), pattern, status));
            return this;
        }

        /** Set a response header (replacing any of that name). */
        public Builder setHeader(String pattern, String name, String value) {
            rules.add(Rule.header(next(), pattern, HeaderAction.Mode.SET, name, value));
            return this;
        }

        /** Add a response header field line. */
        public Builder addHeader(String pattern, String name, String value) {
            rules.add(Rule.header(next(), pattern, HeaderAction.Mode.ADD, name, value));
            return this;
        }

        /** When the served path does not exist, serve {@code file} (e.g. "/index.html"). */
        public Builder fallback(String pattern, String file) {
            rules.add(Rule.fallback(next(), pattern, file));
            return this;
        }

        /** Character reads a JDK-engine match may make (default {@link PyRegex#DEFAULT_BUDGET}). */
        public Builder budget(long reads) {
            if (reads < 1) throw new IllegalArgumentException("budget must be positive");
            budget = reads;
            return this;
        }

        public RuleSet build() { return new RuleSet(rules, budget); }
    }
}
