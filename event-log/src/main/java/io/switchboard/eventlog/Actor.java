package io.switchboard.eventlog;

import java.util.UUID;

/** Who caused an event: an agent, a customer (contact) or the system itself. */
public record Actor(String kind, UUID id) {

    public static final String AGENT = "agent";
    public static final String CUSTOMER = "customer";
    public static final String SYSTEM = "system";
    public static final String OPERATOR = "operator";
    public static final String SERVICE = "service";

    public static Actor agent(UUID id) {
        return new Actor(AGENT, id);
    }

    public static Actor customer(UUID contactId) {
        return new Actor(CUSTOMER, contactId);
    }

    public static Actor system() {
        return new Actor(SYSTEM, null);
    }
}
