package io.switchboard.gateway.auth;

import io.smallrye.jwt.auth.principal.JWTParser;
import io.smallrye.jwt.auth.principal.ParseException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonString;
import java.time.Instant;
import java.util.Set;
import java.util.UUID;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * Verifies the same RS256 tokens as the conversations service (smallrye-jwt, same issuer, audience and key
 * settings) and reads the identity from their claims.
 */
@ApplicationScoped
public class TokenVerifier {

    /** Why a token was refused; the message goes into the error frame or close reason. */
    public static final class InvalidToken extends Exception {
        public InvalidToken(String message) {
            super(message, null, false, false);
        }
    }

    @Inject
    JWTParser parser;

    public Principal verify(String token) throws InvalidToken {
        if (token == null || token.isBlank()) {
            throw new InvalidToken("no token");
        }
        JsonWebToken jwt;
        try {
            jwt = parser.parse(token.trim());
        } catch (ParseException e) {
            throw new InvalidToken("the token is invalid or expired");
        }
        Set<String> groups = jwt.getGroups();
        UUID accountId = uuid(jwt, "account_id");
        Instant expiresAt = Instant.ofEpochSecond(jwt.getExpirationTime());
        if (groups.contains("customer")) {
            String subject = jwt.getSubject();
            if (subject == null || subject.isBlank()) {
                throw new InvalidToken("a customer token needs a subject");
            }
            return new Principal(Principal.Kind.CUSTOMER, accountId, null, "customer", subject, token.trim(), expiresAt);
        }
        String role = groups.contains("admin") ? "admin" : groups.contains("supervisor") ? "supervisor"
                : groups.contains("agent") ? "agent" : null;
        if (role == null) {
            throw new InvalidToken("the token names no agent or customer role");
        }
        return new Principal(Principal.Kind.AGENT, accountId, uuid(jwt, "agent_id"), role, jwt.getSubject(), token.trim(), expiresAt);
    }

    private static UUID uuid(JsonWebToken jwt, String claim) throws InvalidToken {
        Object value = jwt.getClaim(claim);
        if (value == null) {
            throw new InvalidToken("the token has no " + claim + " claim");
        }
        try {
            return UUID.fromString(value instanceof JsonString json ? json.getString() : value.toString());
        } catch (IllegalArgumentException e) {
            throw new InvalidToken("the token's " + claim + " claim is not a UUID");
        }
    }
}
