package io.tenk.rules;

import io.tenk.http.Status;
import java.util.List;
import java.util.Optional;

/** What the rules decided for one request path. */
public sealed interface Outcome {

    /**
     * Serve {@code path} (go on to the static files).
     *
     * @param path      the path to serve, in the form of a request's path (decoded, normalised):
     *                    the input itself when no rewrite applied
     * @param rewritten whether a rewrite changed the path
     * @param headers   header actions to apply to the response, in order (a SET already removed
     *                  earlier actions of its name)
     * @param fallback  if present, the path (decoded, normalised) to serve when {@code path} does not
     *                  exist (SPA-style try_files); the rules cannot see files, the caller checks
     */
    record Serve(String path, boolean rewritten, List<HeaderAction> headers, Optional<String> fallback) implements Outcome {
        public Serve {
            headers = List.copyOf(headers);
        }
    }

    /**
     * Answer with a redirect.
     *
     * @param location a safe Location value: printable ASCII only, and either a path starting with
     *                 exactly one '/' or the absolute URL a rule named explicitly. The request's
     *                 query string is not appended; the caller may do so.
     * @param headers  header actions collected before the redirect rule
     */
    record Redirect(Status status, String location, List<HeaderAction> headers) implements Outcome {
        public Redirect {
            headers = List.copyOf(headers);
        }
    }

    /** Refuse with 403 or 404. */
    record Deny(Status status) implements Outcome {}

    /**
     * The rules could not decide.
     *
     * @param ruleNumber the rule being tried, or 0 if none was
     * @param logLine    one line for the error log; it never quotes the request path
     */
    record Error(Kind kind, int ruleNumber, String logLine) implements Outcome {
        /** The status to answer with. */
        public Status status() { return kind.status(); }
    }

    /** Why the rules could not decide. */
    enum Kind {
        /** A backtracking pattern read more input than its budget allows: answer 500, log once. */
        MATCH_BUDGET_EXCEEDED(Status.INTERNAL_SERVER_ERROR),
        /** The path, or a rewrite's result, is not a valid request path (it climbs above the root): answer 400. */
        INVALID_PATH(Status.BAD_REQUEST);

        private final Status status;

        Kind(Status status) { this.status = status; }

        public Status status() { return status; }
    }
}
