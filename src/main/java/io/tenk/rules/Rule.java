package io.tenk.rules;

import io.tenk.http.FieldSyntax;
import io.tenk.http.Status;

import java.util.Locale;
import java.util.Set;

/**
 * One compiled rule. Build rules with the static factories (or {@link RuleSet.Builder}), which
 * check everything and throw {@link RuleException} naming the rule.
 *
 * <p>Patterns are matched against the percent-decoded path (see {@link RuleSet}).
 */
public sealed interface Rule {

    /** Position in its rule set, from 1. */
    int number();

    PyRegex pattern();

    /** redirect, rewrite, deny, header or fallback. */
    String kind();

    /**
     * Answer with a redirect. {@code to} is URL text: its literal parts are used as written
     * (already percent-encoded where needed); captured groups are percent-encoded on insertion.
     *
     * @param absolute whether {@code to} names an absolute http(s) URL (its host is literal)
     */
    record Redirect(int number, PyRegex pattern, Replacement to, Status status, boolean absolute) implements Rule {
        public Redirect {
            if (!REDIRECTS.contains(status)) throw new IllegalArgumentException("redirect status must be 301, 302, 303, 307 or 308");
        }

        @Override public String kind() { return "redirect"; }
    }

    /**
     * Change the path internally, then go on with the next rule, or stop if {@code stop}.
     * {@code to} is a decoded path like the ones patterns see; it must start with '/'.
     */
    record Rewrite(int number, PyRegex pattern, Replacement to, boolean stop) implements Rule {
        @Override public String kind() { return "rewrite"; }
    }

    /** Refuse with 403 or 404. */
    record Deny(int number, PyRegex pattern, Status status) implements Rule {
        public Deny {
            if (status != Status.FORBIDDEN && status != Status.NOT_FOUND) throw new IllegalArgumentException("deny status must be 403 or 404");
        }

        @Override public String kind() { return "deny"; }
    }

    /** Add or set a response header; evaluation goes on. */
    record Header(int number, PyRegex pattern, HeaderAction action) implements Rule {
        @Override public String kind() { return "header"; }
    }

    /**
     * If the path finally served does not exist, serve {@code file} instead. The first matching
     * fallback rule wins; evaluation goes on. {@code file} is a decoded path like a rewrite's.
     */
    record Fallback(int number, PyRegex pattern, Replacement file) implements Rule {
        @Override public String kind() { return "fallback"; }
    }

    Set<Status> REDIRECTS = Set.of(Status.MOVED_PERMANENTLY, Status.FOUND, Status.SEE_OTHER,
            Status.TEMPORARY_REDIRECT, Status.PERMANENT_REDIRECT);

    // ---- factories ------------------------------------------------------------------------

    static Redirect redirect(int number, String pattern, String to, int status) {
        String kind = "redirect";
        PyRegex p = compile(number, kind, pattern);
        Status s = statusOf(number, kind, status, REDIRECTS, "301, 302, 303, 307 or 308");
        Replacement r = template(number, kind, to, p);
        if (hasControl(to)) throw new RuleException(number, kind, "bad target: contains a control character", null);
        String first = r.parts().isEmpty() || !(r.parts().getFirst() instanceof Replacement.Literal l) ? "" : l.text();
        String lower = first.toLowerCase(Locale.ROOT);
        boolean absolute = lower.startsWith("https://") || lower.startsWith("http://");
        if (absolute) {
            int hostStart = first.indexOf("//") + 2;
            int hostEnd = hostStart;
            while (hostEnd < first.length() && "/?#".indexOf(first.charAt(hostEnd)) < 0) hostEnd++;
            if (hostEnd == first.length() && r.parts().size() > 1) {
                throw new RuleException(number, kind, "bad target: an absolute URL must spell out its host before any group reference", null);
            }
            String host = first.substring(hostStart, hostEnd);
            if (host.isEmpty() || !host.chars().allMatch(c -> c < 0x80 && (Character.isLetterOrDigit(c) || ".-:[]".indexOf(c) >= 0))) {
                throw new RuleException(number, kind, "bad target: bad host '" + FieldSyntax.printable(host) + "'", null);
            }
        } else if (!first.startsWith("/") || first.startsWith("//") || first.startsWith("/\\")) {
            throw new RuleException(number, kind,
                    "bad target: must be a path starting with a single '/' or an http(s):// URL", null);
        }
        return new Redirect(number, p, r, s, absolute);
    }

    static Rewrite rewrite(int number, String pattern, String to, boolean stop) {
        PyRegex p = compile(number, "rewrite", pattern);
        return new Rewrite(number, p, localPath(number, "rewrite", to, p), stop);
    }

    static Deny deny(int number, String pattern, int status) {
        PyRegex p = compile(number, "deny", pattern);
        return new Deny(number, p, statusOf(number, "deny", status, Set.of(Status.FORBIDDEN, Status.NOT_FOUND), "403 or 404"));
    }

    static Header header(int number, String pattern, HeaderAction.Mode mode, String name, String value) {
        PyRegex p = compile(number, "header", pattern);
        try {
            return new Header(number, p, new HeaderAction(mode, name, value));
        } catch (IllegalArgumentException e) {
            throw new RuleException(number, "header", e.getMessage(), e);
        }
    }

    static Fallback fallback(int number, String pattern, String file) {
        PyRegex p = compile(number, "fallback", pattern);
        return new Fallback(number, p, localPath(number, "fallback", file, p));
    }

    private static PyRegex compile(int number, String kind, String pattern) {
        if (pattern == null) throw new RuleException(number, kind, "missing pattern", null);
        try {
            return PyRegex.compile(pattern);
        } catch (RegexSyntaxException e) {
            throw new RuleException(number, kind, "bad pattern: " + e.getMessage(), e);
        }
    }

    private static Replacement template(int number, String kind, String to, PyRegex p) {
        if (to == null || to.isEmpty()) throw new RuleException(number, kind, "missing target", null);
        try {
            return Replacement.parse(to, p);
        } catch (IllegalArgumentException e) {
            throw new RuleException(number, kind, "bad target: " + e.getMessage(), e);
        }
    }

    private static Replacement localPath(int number, String kind, String to, PyRegex p) {
        Replacement r = template(number, kind, to, p);
        if (hasControl(to)) throw new RuleException(number, kind, "bad target: contains a control character", null);
        if (!(r.parts().getFirst() instanceof Replacement.Literal l) || !l.text().startsWith("/")) {
            throw new RuleException(number, kind, "bad target: must start with '/'", null);
        }
        for (Replacement.Part part : r.parts()) {
            if (part instanceof Replacement.Literal lit && (lit.text().indexOf('?') >= 0 || lit.text().indexOf('#') >= 0)) {
                throw new RuleException(number, kind, "bad target: a path may not contain '?' or '#' (rules change paths only)", null);
            }
        }
        return r;
    }

    /** True if {@code s} holds a control character (C0, DEL or C1). */
    private static boolean hasControl(String s) {
        return s.chars().anyMatch(Character::isISOControl);
    }

    private static Status statusOf(int number, String kind, int code, Set<Status> allowed, String expected) {
        for (Status s : allowed) if (s.code() == code) return s;
        throw new RuleException(number, kind, "bad status " + code + " (expected " + expected + ")", null);
    }
}
