package io.tenk.rules;

/**
 * A pattern that does not compile. The message is one line, e.g.
 * {@code unbalanced parenthesis at index 7}; the index counts chars of the pattern as written.
 */
public final class RegexSyntaxException extends IllegalArgumentException {
    private final String description;
    private final int index;

    RegexSyntaxException(String description, int index) {
        super(description + " at index " + index);
        this.description = description;
        this.index = index;
    }

    /** What is wrong, without the position. */
    public String description() { return description; }

    /** Index into the pattern as the user wrote it. */
    public int index() { return index; }
}
