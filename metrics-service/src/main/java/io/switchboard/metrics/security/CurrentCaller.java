package io.switchboard.metrics.security;

import io.opentelemetry.api.trace.Span;
import io.switchboard.metrics.rest.problem.Problem;
import io.switchboard.metrics.rest.problem.ProblemException;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonString;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jboss.logging.MDC;

/** Reads the request's {@link Caller} from the verified JWT (the same tokens as the conversations service). */
@RequestScoped
public class CurrentCaller {

    @Inject
    JsonWebToken token;

    /**
     * The caller and the account the request is about. Operators and services must name it
     * ({@code accountId}); everyone else gets their own account and may not name another.
     */
    public Caller resolve(String accountIdParameter) {
        Caller caller = read(accountIdParameter);
        // the account goes into the request's log lines and span (never the token)
        MDC.put("accountId", caller.accountId().toString());
        Span.current().setAttribute("switchboard.account_id", caller.accountId().toString());
        return caller;
    }

    private Caller read(String accountIdParameter) {
        requireToken();
        Set<String> groups = token.getGroups();
        if (groups.contains("operator") || groups.contains("service")) {
            Caller.Kind kind = groups.contains("operator") ? Caller.Kind.OPERATOR : Caller.Kind.SERVICE;
            if (accountIdParameter == null || accountIdParameter.isBlank()) {
                throw ProblemException.invalid(List.of(new Problem.Violation("accountId", "is required for " + kind.name().toLowerCase() + " tokens")));
            }
            return new Caller(kind, parse("accountId", accountIdParameter), null);
        }
        UUID account = claim("account_id");
        if (accountIdParameter != null && !accountIdParameter.isBlank()
                && !account.equals(parse("accountId", accountIdParameter))) {
            throw ProblemException.forbidden("a token may only read its own account's metrics");
        }
        if (groups.contains("admin") || groups.contains("supervisor")) {
            return new Caller(Caller.Kind.SUPERVISOR, account, claim("agent_id"));
        }
        if (groups.contains("agent")) {
            return new Caller(Caller.Kind.AGENT, account, claim("agent_id"));
        }
        if (groups.contains("customer")) {
            return new Caller(Caller.Kind.CUSTOMER, account, null);
        }
        throw ProblemException.invalidToken("the token's groups claim names no Switchboard role");
    }

    /** As {@link #resolve}, but only for callers who see the whole account. */
    public Caller requireAccountView(String accountIdParameter) {
        Caller caller = resolve(accountIdParameter);
        if (!caller.seesWholeAccount()) {
            throw ProblemException.forbidden("only supervisors and admins see account metrics; agents see their own under /agents");
        }
        return caller;
    }

    public void requireOperator() {
        requireToken();
        if (!token.getGroups().contains("operator")) {
            throw ProblemException.forbidden("only operators may do this");
        }
    }

    private void requireToken() {
        if (token.getRawToken() == null) {
            throw new ProblemException(Problem.of(401, "unauthenticated", "Unauthorized", "this endpoint needs a bearer token"));
        }
    }

    private UUID claim(String name) {
        Object value = token.getClaim(name);
        if (value == null) {
            throw ProblemException.invalidToken("the token has no " + name + " claim");
        }
        try {
            return UUID.fromString(value instanceof JsonString json ? json.getString() : value.toString());
        } catch (IllegalArgumentException e) {
            throw ProblemException.invalidToken("the token's " + name + " claim is not a UUID");
        }
    }

    public static UUID parse(String field, String value) {
        try {
            return UUID.fromString(value);
        } catch (IllegalArgumentException e) {
            throw ProblemException.invalid(List.of(new Problem.Violation(field, "must be a UUID")));
        }
    }
}
