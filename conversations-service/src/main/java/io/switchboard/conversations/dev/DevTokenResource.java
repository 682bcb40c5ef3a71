package io.switchboard.conversations.dev;

import io.quarkus.arc.profile.IfBuildProfile;
import io.smallrye.jwt.build.Jwt;
import io.smallrye.jwt.build.JwtClaimsBuilder;
import io.switchboard.conversations.domain.Agent;
import io.switchboard.conversations.rest.problem.Problems;
import io.switchboard.conversations.security.CurrentCaller;
import io.switchboard.conversations.security.Roles;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Local sign-in: issues tokens for demo agents, customers and the operator. Exists only in builds with
 * the dev profile; a prod build does not contain this endpoint.
 */
@IfBuildProfile("dev")
@Path("/dev/tokens")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@PermitAll
@Tag(name = "Development")
public class DevTokenResource {

    /** One of: an agent id; an account id plus a customer subject; operator=true; or service=true. */
    public record TokenRequest(UUID agentId, UUID accountId, String customerSubject, String customerName, Boolean operator,
            Boolean service) {
    }

    public record TokenResponse(String token, Instant expiresAt) {
    }

    @ConfigProperty(name = "mp.jwt.verify.issuer")
    String issuer;

    @ConfigProperty(name = "mp.jwt.verify.audiences")
    String audience;

    @ConfigProperty(name = "conversations.dev-issuer.lifetime", defaultValue = "PT8H")
    Duration lifetime;

    @POST
    @Operation(summary = "Issue a token (dev profile only)")
    public TokenResponse issue(TokenRequest request) {
        if (request == null) {
            throw Problems.validation("request", "name an agentId, an accountId with customerSubject, operator=true or service=true");
        }
        JwtClaimsBuilder claims;
        if (Boolean.TRUE.equals(request.operator())) {
            claims = Jwt.claims().subject("operator").groups(Set.of(Roles.OPERATOR));
        } else if (Boolean.TRUE.equals(request.service())) {
            claims = Jwt.claims().subject("realtime-gateway").groups(Set.of(Roles.SERVICE));
        } else if (request.agentId() != null) {
            Agent agent = Agent.findById(request.agentId());
            if (agent == null) {
                throw Problems.notFound("agent");
            }
            claims = Jwt.claims().subject("agent:" + agent.id)
                    .claim(CurrentCaller.ACCOUNT_CLAIM, agent.accountId.toString())
                    .claim(CurrentCaller.AGENT_CLAIM, agent.id.toString())
                    .claim("name", agent.name)
                    .groups(Set.of(agent.role.name().toLowerCase(java.util.Locale.ROOT)));
        } else if (request.accountId() != null && request.customerSubject() != null && !request.customerSubject().isBlank()) {
            claims = Jwt.claims().subject(request.customerSubject())
                    .claim(CurrentCaller.ACCOUNT_CLAIM, request.accountId().toString())
                    .groups(Set.of(Roles.CUSTOMER));
            if (request.customerName() != null) {
                claims.claim("name", request.customerName());
            }
        } else {
            throw Problems.validation("request", "name an agentId, an accountId with customerSubject, operator=true or service=true");
        }
        Instant expiresAt = Instant.now().plus(lifetime);
        String token = claims.issuer(issuer).audience(audience).expiresAt(expiresAt.getEpochSecond()).sign();
        return new TokenResponse(token, expiresAt);
    }
}
