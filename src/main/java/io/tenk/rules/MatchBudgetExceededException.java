package io.tenk.rules;

/**
 * A backtracking match gave up: it read more input characters than its budget allows, or the
 * JDK engine ran out of stack. Only patterns that need the JDK engine can throw it.
 */
public final class MatchBudgetExceededException extends RuntimeException {
    MatchBudgetExceededException(String message) {
        super(message, null, false, false);
    }
}
