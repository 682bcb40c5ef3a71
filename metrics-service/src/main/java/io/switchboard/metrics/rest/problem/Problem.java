package io.switchboard.metrics.rest.problem;

import io.quarkus.runtime.annotations.RegisterForReflection;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/** An RFC 9457 problem document with the same stable types as the conversations service (docs/errors.md). */
@JsonInclude(JsonInclude.Include.NON_NULL)
@RegisterForReflection(registerFullHierarchy = true)
public record Problem(String type, String title, int status, String detail, List<Violation> violations) {

    public static final String MEDIA_TYPE = "application/problem+json";
    public static final String TYPE_BASE = "https://switchboard.dev/problems/";

    /** One invalid input: the query parameter and what is wrong with it. */
    public record Violation(String field, String message) {
    }

    public static Problem of(int status, String slug, String title, String detail) {
        return new Problem(TYPE_BASE + slug, title, status, detail, null);
    }
}
