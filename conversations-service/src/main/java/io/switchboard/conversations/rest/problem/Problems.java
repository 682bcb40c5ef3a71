package io.switchboard.conversations.rest.problem;

import java.util.List;

/** The problem types of the API; each slug is stable and documented in docs/errors.md. */
public final class Problems {

    private Problems() {
    }

    public static ProblemException validation(String field, String message) {
        return validation(List.of(new Problem.Violation(field, message)));
    }

    public static ProblemException validation(List<Problem.Violation> violations) {
        return new ProblemException(400, "validation-failed", "Invalid request",
                "the request has invalid fields; see violations").withViolations(violations);
    }

    public static ProblemException malformed(String detail) {
        return new ProblemException(400, "malformed-request", "Malformed request", detail);
    }

    public static ProblemException invalidToken(String detail) {
        return new ProblemException(401, "invalid-token", "Invalid token", detail);
    }

    public static ProblemException forbidden(String detail) {
        return new ProblemException(403, "forbidden", "Forbidden", detail);
    }

    public static ProblemException notFound(String what) {
        return new ProblemException(404, "not-found", "Not found", what + " not found");
    }

    public static ProblemException conflict(String slug, String title, String detail) {
        return new ProblemException(409, slug, title, detail);
    }

    /** The service cannot take the request now (overloaded or shutting down); retrying later is safe. */
    public static ProblemException unavailable(String detail) {
        return new ProblemException(503, "service-unavailable", "Service unavailable", detail);
    }

    /** The expected version (If-Match) is not the current one; {@code current} lets the client reconcile. */
    public static ProblemException versionConflict(long expected, long actual, Object current) {
        return new ProblemException(new Problem(Problem.TYPE_BASE + "version-conflict", "Version conflict", 412,
                "expected version " + expected + " but the current version is " + actual, null, current));
    }
}
