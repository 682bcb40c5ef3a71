package io.switchboard.metrics.rest.problem;

import java.util.List;

/** Thrown anywhere in a request; rendered as its problem document. */
public class ProblemException extends RuntimeException {

    private final transient Problem problem;

    public ProblemException(Problem problem) {
        super(problem.detail(), null, false, false);
        this.problem = problem;
    }

    public Problem problem() {
        return problem;
    }

    public static ProblemException invalid(List<Problem.Violation> violations) {
        return new ProblemException(new Problem(Problem.TYPE_BASE + "validation-failed", "Invalid request", 400,
                "the request has invalid parameters; see violations", List.copyOf(violations)));
    }

    public static ProblemException forbidden(String detail) {
        return new ProblemException(Problem.of(403, "forbidden", "Forbidden", detail));
    }

    public static ProblemException invalidToken(String detail) {
        return new ProblemException(Problem.of(401, "invalid-token", "Unauthorized", detail));
    }

    public static ProblemException conflict(String slug, String detail) {
        return new ProblemException(Problem.of(409, slug, "Conflict", detail));
    }
}
