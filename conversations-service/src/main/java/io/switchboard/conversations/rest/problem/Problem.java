package io.switchboard.conversations.rest.problem;

import io.quarkus.runtime.annotations.RegisterForReflection;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * An RFC 9457 problem document. {@code type} is stable (docs/errors.md lists every one); {@code detail}
 * is for humans; {@code violations} names the invalid fields; {@code current} carries the current
 * representation on a version conflict so the client can reconcile.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@RegisterForReflection(registerFullHierarchy = true)
public record Problem(String type, String title, int status, String detail, List<Violation> violations, Object current) {

    public static final String MEDIA_TYPE = "application/problem+json";
    public static final String TYPE_BASE = "https://switchboard.dev/problems/";

    /** One invalid input: where (a JSON path or parameter name) and what is wrong with it. */
    public record Violation(String field, String message) {
    }
}
