package io.switchboard.metrics.rest.problem;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.UnauthorizedException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Renders every failure as application/problem+json; a bad request never ends as a 500. */
public class ProblemMappers {

    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);

    @ServerExceptionMapper
    public Response problem(ProblemException e) {
        Response response = respond(e.problem());
        return e.problem().status() == 401 ? withChallenge(response) : response;
    }

    @ServerExceptionMapper
    public Response authenticationFailed(AuthenticationFailedException e) {
        return withChallenge(respond(Problem.of(401, "invalid-token", "Unauthorized", "the bearer token is invalid or expired")));
    }

    @ServerExceptionMapper
    public Response unauthorized(UnauthorizedException e) {
        return withChallenge(respond(Problem.of(401, "unauthenticated", "Unauthorized", "this endpoint needs a bearer token")));
    }

    @ServerExceptionMapper
    public Response webApplication(WebApplicationException e) {
        int status = e.getResponse().getStatus();
        String slug = switch (status) {
            case 404 -> "not-found";
            case 405 -> "method-not-allowed";
            case 406 -> "not-acceptable";
            case 415 -> "unsupported-media-type";
            default -> status >= 500 ? "internal-error" : "bad-request";
        };
        if (status >= 500) {
            LOG.error("request failed", e);
        }
        Response.Status known = Response.Status.fromStatusCode(status);
        String detail = status >= 500 ? "the server failed to handle the request" : e.getMessage();
        return respond(Problem.of(status, slug, known != null ? known.getReasonPhrase() : "Error", detail));
    }

    @ServerExceptionMapper
    public Response unexpected(Exception e) {
        LOG.error("unexpected failure", e);
        return respond(Problem.of(500, "internal-error", "Internal error", "the server failed to handle the request"));
    }

    private static Response respond(Problem problem) {
        return Response.status(problem.status()).type(Problem.MEDIA_TYPE).entity(problem).build();
    }

    private static Response withChallenge(Response response) {
        return Response.fromResponse(response).header(HttpHeaders.WWW_AUTHENTICATE, "Bearer").build();
    }
}
