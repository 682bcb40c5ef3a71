package io.switchboard.conversations.tracing;

import io.switchboard.conversations.security.CurrentCaller;
import jakarta.inject.Inject;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import org.jboss.logging.Logger;

/** Test sources only: a request that logs one line the way service code does, after reading its caller. */
@Path("/test-only/log-probe")
public class LogProbeResource {

    private static final Logger LOG = Logger.getLogger(LogProbeResource.class);

    @Inject
    CurrentCaller caller;

    @POST
    public void log(String body) {
        caller.get();
        LOG.warnf("log probe (%d characters of body)", body.length());
    }
}
