package io.switchboard.conversations.security;

import io.switchboard.conversations.config.TextRules;
import io.switchboard.conversations.domain.AgentRole;
import io.switchboard.conversations.rest.problem.Problems;
import io.opentelemetry.api.trace.Span;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonString;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jboss.logging.MDC;

/** The request's {@link Caller}, read once from the verified JWT; a token without the claims its role needs is rejected. */
@RequestScoped
public class CurrentCaller {

    public static final String ACCOUNT_CLAIM = "account_id";
    public static final String AGENT_CLAIM = "agent_id";

    @Inject
    JsonWebToken token;

    private Caller caller;

    public Caller get() {
        if (caller == null) {
            caller = read();
            tagLogsAndTrace(caller);
        }
        return caller;
    }

    /** The account a request acts in goes into its log lines (MDC accountId) and its span; never the token itself. */
    private static void tagLogsAndTrace(Caller caller) {
        if (caller.accountId() != null) {
            MDC.put("accountId", caller.accountId().toString());
            Span.current().setAttribute("switchboard.account_id", caller.accountId().toString());
        }
        Span.current().setAttribute("switchboard.caller", caller.kind().name().toLowerCase(Locale.ROOT));
    }

    private Caller read() {
        Set<String> groups = token.getGroups();
        if (groups.contains(Roles.OPERATOR)) {
            return new Caller(Caller.Kind.OPERATOR, null, null, null, token.getSubject(), null, null);
        }
        if (groups.contains(Roles.SERVICE)) {
            return new Caller(Caller.Kind.SERVICE, null, null, null, token.getSubject(), null, null);
        }
        UUID accountId = uuidClaim(ACCOUNT_CLAIM);
        if (groups.contains(Roles.CUSTOMER)) {
            String subject = token.getSubject();
            if (subject == null || subject.isBlank() || subject.length() > 255) {
                throw Problems.invalidToken("a customer token needs a subject (sub) of at most 255 characters");
            }
            return new Caller(Caller.Kind.CUSTOMER, accountId, null, null, subject,
                    stringClaim("name"), stringClaim("email"));
        }
        AgentRole role = groups.contains(Roles.ADMIN) ? AgentRole.ADMIN
                : groups.contains(Roles.SUPERVISOR) ? AgentRole.SUPERVISOR
                : groups.contains(Roles.AGENT) ? AgentRole.AGENT : null;
        if (role == null) {
            throw Problems.invalidToken("the token's groups claim names no Switchboard role");
        }
        return new Caller(Caller.Kind.AGENT, accountId, uuidClaim(AGENT_CLAIM), role, token.getSubject(), null, null);
    }

    private UUID uuidClaim(String name) {
        Object value = token.getClaim(name);
        if (value == null) {
            throw Problems.invalidToken("the token has no " + name + " claim");
        }
        try {
            return UUID.fromString(text(value));
        } catch (IllegalArgumentException e) {
            throw Problems.invalidToken("the token's " + name + " claim is not a UUID");
        }
    }

    private static String text(Object claim) {
        return claim instanceof JsonString json ? json.getString() : claim.toString();
    }

    private String stringClaim(String name) {
        Object value = token.getClaim(name);
        if (value == null) {
            return null;
        }
        String text = text(value);
        String problem = TextRules.problem(text);
        if (problem != null) {
            // the claim would be stored (a customer's contact): refuse it like any other field
            throw Problems.validation("token." + name, problem);
        }
        return text.isBlank() ? null : text.substring(0, Math.min(text.length(), 255));
    }
}
