package io.tenk.handler;

import java.util.List;
import java.util.concurrent.atomic.LongAdder;

/**
 * Requests whose path a rule decided, over every site of the process, by what the deciding rules
 * did (the metrics' {@code action} label). A request no rule touched is not counted. Counting is a
 * {@link LongAdder} increment: no lock, no allocation.
 *
 * @param action the label: {@code rewrite}, {@code fallback}, {@code header}, {@code redirect},
 *               {@code deny}, or {@code error} (the rules could not decide: 400 or 500)
 */
public record RuleMatches(String action, LongAdder count) {
    public static final RuleMatches REWRITE = new RuleMatches("rewrite");
    public static final RuleMatches FALLBACK = new RuleMatches("fallback");
    public static final RuleMatches HEADER = new RuleMatches("header");
    public static final RuleMatches REDIRECT = new RuleMatches("redirect");
    public static final RuleMatches DENY = new RuleMatches("deny");
    public static final RuleMatches ERROR = new RuleMatches("error");

    private RuleMatches(String action) { this(action, new LongAdder()); }

    /** Every action, in a fixed order. */
    public static List<RuleMatches> all() { return List.of(REWRITE, FALLBACK, HEADER, REDIRECT, DENY, ERROR); }
}
