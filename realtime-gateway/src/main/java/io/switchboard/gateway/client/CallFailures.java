package io.switchboard.gateway.client;

import jakarta.ws.rs.WebApplicationException;

/** How a REST client call failed. */
public final class CallFailures {

    private CallFailures() {
    }

    /** The HTTP status the service answered with, or 0 when the call got no answer (timeout, refused connection). */
    public static int status(Throwable failure) {
        return failure instanceof WebApplicationException web ? web.getResponse().getStatus() : 0;
    }
}
