package io.tenk.rules;

/**
 * A rule that cannot be built: bad pattern, bad target, bad status. The message is one line and
 * names the rule, e.g. {@code rule 3 (redirect): bad pattern: unbalanced parenthesis at index 7}.
 * Numbers count from 1 in the order rules were added.
 */
public final class RuleException extends RuntimeException {
    private final int ruleNumber;
    private final String kind;
    private final String problem;

    RuleException(int ruleNumber, String kind, String problem, Throwable cause) {
        super("rule " + ruleNumber + " (" + kind + "): " + problem, cause);
        this.ruleNumber = ruleNumber;
        this.kind = kind;
        this.problem = problem;
    }

    public int ruleNumber() { return ruleNumber; }

    /** redirect, rewrite, deny, header or fallback. */
    public String kind() { return kind; }

    /** The message without the "rule N (kind): " prefix. */
    public String problem() { return problem; }
}
