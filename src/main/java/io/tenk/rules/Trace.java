package io.tenk.rules;

import java.util.List;
import java.util.Map;

/**
 * What an evaluation did, rule by rule, for {@code tenk rules test}.
 *
 * @param input   the path as given (percent-encoded)
 * @param decoded the path the first rule was matched against, or null if it did not decode
 * @param steps   one step per rule tried, in order
 * @param outcome the result
 */
public record Trace(String input, String decoded, List<Step> steps, Outcome outcome) {

    public Trace {
        steps = List.copyOf(steps);
    }

    /**
     * One rule tried.
     *
     * @param rule     the rule's number (from 1)
     * @param kind     redirect, rewrite, deny, header or fallback
     * @param pattern  the pattern as written
     * @param subject  the (decoded) path it was matched against
     * @param matched  whether it matched
     * @param groups   captured groups by number ("1", "2", …) and by the user's names; groups that
     *                 did not participate are absent
     * @param result   what the rule did: "no match", "rewrite /x", "redirect 301 /y", "deny 404",
     *                 "set Cache-Control: …", "fallback /index.html", "error: …"
     */
    public record Step(int rule, String kind, String pattern, String subject, boolean matched,
                       Map<String, String> groups, String result) {
        public Step {
            groups = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(groups));
        }
    }

    /** Human-readable lines, one per step plus the outcome. */
    public String render() {
        StringBuilder sb = new StringBuilder();
        sb.append("path ").append(HeaderAction.printable(input));
        if (decoded != null && !decoded.equals(input)) sb.append(" (decoded ").append(HeaderAction.printable(decoded)).append(')');
        sb.append('\n');
        for (Step s : steps) {
            sb.append("rule ").append(s.rule()).append(' ').append(s.kind()).append(' ')
                    .append(HeaderAction.printable(s.pattern())).append(": ");
            if (s.matched() && !s.groups().isEmpty()) {
                s.groups().forEach((k, v) -> sb.append(k).append('=').append(HeaderAction.printable(v)).append(' '));
                sb.append("-> ");
            }
            sb.append(HeaderAction.printable(s.result())).append('\n');
        }
        sb.append("outcome: ").append(describe(outcome)).append('\n');
        return sb.toString();
    }

    static String describe(Outcome o) {
        return switch (o) {
            case Outcome.Serve s -> "serve " + s.path()
                    + s.fallback().map(f -> " (fallback " + f + ")").orElse("")
                    + (s.headers().isEmpty() ? "" : " headers " + s.headers());
            case Outcome.Redirect r -> "redirect " + r.status().code() + " " + r.location()
                    + (r.headers().isEmpty() ? "" : " headers " + r.headers());
            case Outcome.Deny d -> "deny " + d.status().code();
            case Outcome.Error e -> "error " + e.status().code() + ": " + e.logLine();
        };
    }
}
