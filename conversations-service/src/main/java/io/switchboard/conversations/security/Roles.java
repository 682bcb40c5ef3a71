package io.switchboard.conversations.security;

/** Role names as they appear in the token's {@code groups} claim. */
public final class Roles {

    public static final String AGENT = "agent";
    public static final String SUPERVISOR = "supervisor";
    public static final String ADMIN = "admin";
    public static final String CUSTOMER = "customer";
    public static final String OPERATOR = "operator";
    /** Another Switchboard service (the realtime gateway keeping agents' status in line with presence). */
    public static final String SERVICE = "service";

    private Roles() {
    }
}
