package io.tenk.rules;

import io.tenk.http.FieldSyntax;

import java.util.List;
import java.util.Map;

/**
 * What an evaluation did, rule by rule, for {@code tenk rules test}.
 *
 * @param path      the path the first rule was matched against (decoded, normalised)
 * @param steps     one step per rule tried, in order
 * @param base      when the path names a precompressed sibling and its base was consulted (see
 *                  {@link RuleSet}), that base path; else null
 * @param baseSteps the steps of the base's evaluation (empty when none)
 * @param outcome   the result
 */
public record Trace(String path, List<Step> steps, String base, List<Step> baseSteps, Outcome outcome) {

    public Trace {
        steps = List.copyOf(steps);
        baseSteps = List.copyOf(baseSteps);
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
        sb.append("path ").append(FieldSyntax.printable(path)).append('\n');
        render(sb, steps);
        if (base != null) {
            sb.append("precompressed sibling of ").append(FieldSyntax.printable(base)).append(", governed by its rules:\n");
            render(sb, baseSteps);
        }
        sb.append("outcome: ").append(describe(outcome)).append('\n');
        return sb.toString();
    }

    private static void render(StringBuilder sb, List<Step> steps) {
        for (Step s : steps) {
            sb.append("rule ").append(s.rule()).append(' ').append(s.kind()).append(' ')
                    .append(FieldSyntax.printable(s.pattern())).append(": ");
            if (s.matched() && !s.groups().isEmpty()) {
                s.groups().forEach((k, v) -> sb.append(k).append('=').append(FieldSyntax.printable(v)).append(' '));
                sb.append("-> ");
            }
            sb.append(FieldSyntax.printable(s.result())).append('\n');
        }
    }

    static String describe(Outcome o) {
        return switch (o) {
            case Outcome.Serve s -> "serve " + FieldSyntax.printable(s.path())
                    + s.fallback().map(f -> " (fallback " + FieldSyntax.printable(f) + ")").orElse("")
                    + (s.headers().isEmpty() ? "" : " headers " + s.headers());
            case Outcome.Redirect r -> "redirect " + r.status().code() + " " + r.location()
                    + (r.headers().isEmpty() ? "" : " headers " + r.headers());
            case Outcome.Deny d -> "deny " + d.status().code();
            case Outcome.Error e -> "error " + e.status().code() + ": " + e.logLine();
        };
    }
}
