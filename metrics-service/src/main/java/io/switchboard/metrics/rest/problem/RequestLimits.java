package io.switchboard.metrics.rest.problem;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Oversize requests answered as problems like every other error (as in the conversations service), before anything reads them: a URL longer
 * than {@value #MAX_URI} characters (414 uri-too-long) and a declared body over quarkus.http.limits.max-body-size
 * (413 payload-too-large, the connection closed since the body is not read). The HTTP layer's own limits stay
 * as a last line (a request line over 64 KiB, a chunked body over the limit) with bare answers.
 */
@ApplicationScoped
public class RequestLimits {

    static final int MAX_URI = 8192;

    @Inject
    ObjectMapper json;

    @ConfigProperty(name = "quarkus.http.limits.max-body-size")
    MemorySize maxBodySize;

    /** First on every route, before any body is read. */
    void install(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE).handler(this::limits);
    }

    void limits(RoutingContext routing) {
        if (routing.request().uri().length() > MAX_URI) {
            respond(routing, Problem.of(414, "uri-too-long", "URI Too Long", "the request URL is longer than " + MAX_URI + " characters"), false);
            return;
        }
        String length = routing.request().getHeader(HttpHeaders.CONTENT_LENGTH);
        if (length != null && declaredOver(length)) {
            respond(routing, Problem.of(413, "payload-too-large", "Content Too Large",
                    "the request body is larger than " + maxBodySize.asLongValue() + " bytes"), true);
            return;
        }
        routing.next();
    }

    private boolean declaredOver(String length) {
        try {
            return Long.parseLong(length.trim()) > maxBodySize.asLongValue();
        } catch (NumberFormatException e) {
            return false; // the HTTP layer refuses a malformed length itself
        }
    }

    private void respond(RoutingContext routing, Problem problem, boolean close) {
        try {
            var response = routing.response().setStatusCode(problem.status()).putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE);
            if (close) {
                response.putHeader(HttpHeaders.CONNECTION, "close");
            }
            response.end(json.writeValueAsString(problem));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            routing.fail(e);
        }
    }
}
