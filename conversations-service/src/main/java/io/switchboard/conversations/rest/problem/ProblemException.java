package io.switchboard.conversations.rest.problem;

import java.util.List;

/** Thrown anywhere in request handling; rendered as application/problem+json by {@link ProblemMappers}. */
public class ProblemException extends RuntimeException {

    private final Problem problem;

    public ProblemException(Problem problem) {
        super(problem.detail(), null, false, false);
        this.problem = problem;
    }

    public ProblemException(int status, String slug, String title, String detail) {
        this(new Problem(Problem.TYPE_BASE + slug, title, status, detail, null, null));
    }

    public Problem problem() {
        return problem;
    }

    public ProblemException withViolations(List<Problem.Violation> violations) {
        Problem p = problem;
        return new ProblemException(new Problem(p.type(), p.title(), p.status(), p.detail(), violations, p.current()));
    }
}
