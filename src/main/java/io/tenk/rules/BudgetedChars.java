package io.tenk.rules;

/**
 * The input of a java.util.regex match, counting every {@code charAt}. Backtracking re-reads the
 * input, so the count bounds the work a match does; past the budget the match is abandoned with
 * {@link MatchBudgetExceededException}. One instance per match; not thread-safe.
 */
final class BudgetedChars implements CharSequence {
    private final CharSequence text;
    private final long budget;
    private long reads;

    BudgetedChars(CharSequence text, long budget) {
        this.text = text;
        this.budget = budget;
    }

    @Override public char charAt(int index) {
        if (++reads > budget) {
            throw new MatchBudgetExceededException("match budget of " + budget + " character reads exceeded");
        }
        return text.charAt(index);
    }

    @Override public int length() { return text.length(); }

    @Override public CharSequence subSequence(int start, int end) { return text.subSequence(start, end); }

    @Override public String toString() { return text.toString(); }

    long reads() { return reads; }
}
