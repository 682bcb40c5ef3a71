package io.switchboard.conversations.rest.problem;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.InputCoercionException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.ElementKind;
import jakarta.validation.Path;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Renders every failure as application/problem+json; nothing malformed ends as a 500. */
public class ProblemMappers {

    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);

    @ServerExceptionMapper
    public Response problem(ProblemException e) {
        return respond(e.problem());
    }

    @ServerExceptionMapper
    public Response constraintViolations(ConstraintViolationException e) {
        List<Problem.Violation> violations = e.getConstraintViolations().stream()
                .map(v -> new Problem.Violation(fieldOf(v), v.getMessage()))
                .sorted(Comparator.comparing(Problem.Violation::field).thenComparing(Problem.Violation::message))
                .toList();
        return respond(Problems.validation(violations).problem());
    }

    // Quarkus has built-in mappers for these Jackson subtypes; naming each one here makes ours win.
    @ServerExceptionMapper
    public Response invalidFormat(InvalidFormatException e) {
        return invalidJson(e);
    }

    @ServerExceptionMapper
    public Response mismatchedInput(MismatchedInputException e) {
        return invalidJson(e);
    }

    @ServerExceptionMapper
    public Response unparsable(JsonParseException e) {
        return invalidJson(e);
    }

    /**
     * Unparsable JSON is malformed-request; JSON of the wrong shape or type, or a value out of range, is
     * validation-failed naming the field ("request" for the body as a whole).
     */
    @ServerExceptionMapper
    public Response invalidJson(JsonProcessingException e) {
        if (e instanceof InvalidFormatException invalid) {
            String message = invalid.getTargetType() != null && invalid.getTargetType().isEnum()
                    ? "must be one of " + enumValues(invalid.getTargetType())
                    : invalid.getTargetType() == String.class ? invalid.getOriginalMessage()
                    : "has the wrong format for " + invalid.getTargetType().getSimpleName();
            return respond(Problems.validation(pathOf(invalid), message).problem());
        }
        if (e instanceof MismatchedInputException mismatched) {
            return respond(Problems.validation(pathOf(mismatched), mismatched.getPath().isEmpty()
                    ? "must be a JSON object of the documented shape" : "has the wrong JSON type").problem());
        }
        if (e instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()) {
            String message = mapping.getCause() instanceof IllegalArgumentException cause ? cause.getMessage()
                    : mapping.getCause() instanceof InputCoercionException ? "is out of range" : "is not acceptable here";
            return respond(Problems.validation(pathOf(mapping), message).problem());
        }
        if (e instanceof InputCoercionException) {
            return respond(Problems.validation("request", "holds a number out of range").problem());
        }
        return respond(Problems.malformed("the request body is not valid JSON: " + e.getOriginalMessage()).problem());
    }

    @ServerExceptionMapper
    public Response authenticationFailed(AuthenticationFailedException e) {
        return unauthorized("invalid-token", "the bearer token is invalid or expired");
    }

    @ServerExceptionMapper
    public Response unauthorized(UnauthorizedException e) {
        return unauthorized("unauthenticated", "this endpoint needs a bearer token");
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e) {
        return respond(Problems.forbidden("your role may not do this").problem());
    }

    @ServerExceptionMapper
    public Response webApplication(WebApplicationException e) {
        int status = e.getResponse().getStatus();
        if (status == 400 && e.getCause() instanceof JsonProcessingException json) {
            // Quarkus REST wraps a body it could not read: answer as for any JSON problem
            return invalidJson(json);
        }
        String slug = switch (status) {
            case 404 -> "not-found";
            case 405 -> "method-not-allowed";
            case 406 -> "not-acceptable";
            case 413 -> "payload-too-large";
            case 415 -> "unsupported-media-type";
            default -> status >= 500 ? "internal-error" : "bad-request";
        };
        if (status >= 500) {
            LOG.error("request failed", e);
        }
        Response.Status known = Response.Status.fromStatusCode(status);
        String title = known != null ? known.getReasonPhrase() : "Error";
        String detail = status >= 500 ? "the server failed to handle the request" : e.getMessage();
        return respond(new Problem(Problem.TYPE_BASE + slug, title, status, detail, null, null));
    }

    @ServerExceptionMapper
    public Response unexpected(Exception e) {
        LOG.error("unexpected failure", e);
        return respond(new Problem(Problem.TYPE_BASE + "internal-error", "Internal error", 500,
                "the server failed to handle the request", null, null));
    }

    private static Response unauthorized(String slug, String detail) {
        Response response = respond(new Problem(Problem.TYPE_BASE + slug, "Unauthorized", 401, detail, null, null));
        return Response.fromResponse(response).header(HttpHeaders.WWW_AUTHENTICATE, "Bearer").build();
    }

    static Response respond(Problem problem) {
        return Response.status(problem.status()).type(Problem.MEDIA_TYPE).entity(problem).build();
    }

    /** "sendMessage.request.content" becomes "content"; a query parameter keeps its own name. */
    private static String fieldOf(ConstraintViolation<?> violation) {
        List<String> parts = new ArrayList<>();
        Iterator<Path.Node> nodes = violation.getPropertyPath().iterator();
        String parameter = null;
        while (nodes.hasNext()) {
            Path.Node node = nodes.next();
            if (node.getKind() == ElementKind.METHOD || node.getKind() == ElementKind.CONSTRUCTOR) {
                continue;
            }
            if (node.getKind() == ElementKind.PARAMETER || node.getKind() == ElementKind.CROSS_PARAMETER) {
                parameter = node.getName();
                continue;
            }
            String name = node.getName();
            if (node.getIndex() != null && !parts.isEmpty()) {
                parts.set(parts.size() - 1, parts.get(parts.size() - 1) + "[" + node.getIndex() + "]");
            }
            if (name != null && !name.startsWith("<")) {
                parts.add(name);
            }
        }
        if (parts.isEmpty()) {
            return parameter == null ? "request" : parameter;
        }
        return String.join(".", parts);
    }

    private static String pathOf(JsonMappingException e) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference reference : e.getPath()) {
            if (reference.getFieldName() != null) {
                if (!path.isEmpty()) {
                    path.append('.');
                }
                path.append(reference.getFieldName());
            } else if (reference.getIndex() >= 0) {
                path.append('[').append(reference.getIndex()).append(']');
            }
        }
        return path.isEmpty() ? "request" : path.toString();
    }

    private static String enumValues(Class<?> type) {
        return Arrays.stream(type.getEnumConstants())
                .map(c -> ((Enum<?>) c).name().toLowerCase(Locale.ROOT))
                .collect(Collectors.joining(", "));
    }
}
