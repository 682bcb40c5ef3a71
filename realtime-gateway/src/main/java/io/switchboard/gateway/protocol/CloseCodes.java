package io.switchboard.gateway.protocol;

/** WebSocket close codes the gateway uses (docs: asyncapi.yaml, "Close codes"). */
public final class CloseCodes {

    /** Not authenticated in time, or the token was invalid. */
    public static final int UNAUTHENTICATED = 4001;
    /** The token expired and no fresh one arrived in an auth frame. */
    public static final int TOKEN_EXPIRED = 4002;
    /** The client did not read fast enough; it should reconnect and resume from its cursor. */
    public static final int SLOW_CONSUMER = 4008;
    /** The client kept sending faster than allowed. */
    public static final int RATE_LIMITED = 4009;
    /** Nothing was heard from the client for the idle timeout. */
    public static final int IDLE_TIMEOUT = 4010;
    /** A frame exceeded the inbound size limit (frames beyond the transport's hard limit drop the connection). */
    public static final int MESSAGE_TOO_BIG = 1009;
    /** The server restarts or drains; reconnect (to any instance) after the hinted delay. */
    public static final int SERVICE_RESTART = 1012;

    private CloseCodes() {
    }
}
