package io.tenk.rules;

import java.util.Arrays;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.regex.PatternSyntaxException;

/**
 * A compiled pattern written in Python {@code re} syntax (Java syntax accepted too), matched
 * with search semantics like {@code re.search}: anchor with {@code ^} and {@code $}.
 *
 * <p>Two engines. A pattern RE2/J can run (no back-references, lookaround, atomic groups or
 * possessive quantifiers) runs on RE2/J, in time linear in the input. Any other pattern runs on
 * java.util.regex with a budget: the match may read at most {@code budget} input characters
 * (backtracking re-reads them) and otherwise throws {@link MatchBudgetExceededException}.
 *
 * <p>See {@link Translator} for the syntax accepted and the few deliberate deviations from Python
 * ({@code $} is end of input only; {@code \d \w \b} are ASCII). Immutable and thread-safe.
 */
public final class PyRegex {

    /** Which engine runs the pattern. */
    public enum Engine { RE2J, JDK }

    /** Character reads one JDK-engine match may make. */
    public static final long DEFAULT_BUDGET = 1_000_000;

    private final String source;
    private final Translator.Translation translation;
    private final com.google.re2j.Pattern re2;
    private final java.util.regex.Pattern jdk;

    private PyRegex(String source, Translator.Translation t, com.google.re2j.Pattern re2, java.util.regex.Pattern jdk) {
        this.source = source;
        this.translation = t;
        this.re2 = re2;
        this.jdk = jdk;
    }

    /**
     * Compiles {@code pattern}.
     *
     * @throws RegexSyntaxException with a one-line message such as
     *         {@code unbalanced parenthesis at index 7}
     */
    public static PyRegex compile(String pattern) {
        try {
            return compileNested(pattern);
        } catch (StackOverflowError e) {
            // a pattern nested thousands deep (100,000 '(') exhausts the stack of a parser or compiler
            throw new RegexSyntaxException("pattern too deeply nested", 0);
        }
    }

    private static PyRegex compileNested(String pattern) {
        Translator.Translation t = Translator.translate(pattern);
        // RE2/J folds case by Unicode rules always; Python's (?a)(?i) folds ASCII only.
        if (!(t.ascii() && t.ignoreCase())) {
            try {
                com.google.re2j.Pattern p = com.google.re2j.Pattern.compile(t.pattern());
                if (p.groupCount() == t.groupCount()) return new PyRegex(pattern, t, p, null);
            } catch (com.google.re2j.PatternSyntaxException notForRe2) {
                // fall through to the JDK engine, which reports errors with a position
            }
        }
        int flags = java.util.regex.Pattern.UNIX_LINES | (t.ascii() ? 0 : java.util.regex.Pattern.UNICODE_CASE);
        try {
            java.util.regex.Pattern p = java.util.regex.Pattern.compile(t.pattern(), flags);
            if (p.matcher("").groupCount() != t.groupCount()) {
                throw new IllegalStateException("group count mismatch translating " + pattern);
            }
            return new PyRegex(pattern, t, null, p);
        } catch (PatternSyntaxException e) {
            String what = e.getDescription();
            what = what.isEmpty() ? "invalid pattern" : Character.toLowerCase(what.charAt(0)) + what.substring(1);
            throw new RegexSyntaxException(what, t.toSource(e.getIndex(), pattern.length()));
        }
    }

    /** The pattern as the user wrote it. */
    public String source() { return source; }

    /** The pattern the engine runs. */
    public String translated() { return translation.pattern(); }

    public Engine engine() { return re2 != null ? Engine.RE2J : Engine.JDK; }

    public int groupCount() { return translation.groupCount(); }

    /** The user's group names to group numbers. */
    public Map<String, Integer> groupNames() { return translation.names(); }

    /** {@link #search(CharSequence, long)} with {@link #DEFAULT_BUDGET}. */
    public Optional<Match> search(CharSequence input) { return search(input, DEFAULT_BUDGET); }

    /**
     * The first match anywhere in {@code input}, like Python's {@code re.search}.
     *
     * @throws MatchBudgetExceededException if a JDK-engine match reads more than {@code budget}
     *         characters or exhausts the stack
     */
    public Optional<Match> search(CharSequence input, long budget) {
        String[] groups = new String[groupCount() + 1];
        int start;
        int end;
        if (re2 != null) {
            com.google.re2j.Matcher m = re2.matcher(input);
            if (!m.find()) return Optional.empty();
            for (int i = 0; i < groups.length; i++) groups[i] = m.group(i);
            start = m.start();
            end = m.end();
        } else {
            java.util.regex.Matcher m = jdk.matcher(new BudgetedChars(input, budget));
            try {
                if (!m.find()) return Optional.empty();
            } catch (StackOverflowError e) {
                throw new MatchBudgetExceededException("match ran out of stack");
            }
            for (int i = 0; i < groups.length; i++) groups[i] = m.group(i);
            start = m.start();
            end = m.end();
        }
        return Optional.of(new Match(start, end, Collections.unmodifiableList(Arrays.asList(groups)), groupNames()));
    }

    @Override public String toString() { return source; }
}
