package io.switchboard.testing;

import io.smallrye.jwt.build.Jwt;
import io.smallrye.jwt.build.JwtClaimsBuilder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.UUID;

/**
 * The test token issuer: an RSA key pair made once per JVM, and RS256 tokens with the claims every
 * service reads (see README, "Authentication"). Lives in test code only; production trusts a real issuer.
 */
public final class TestTokens {

    public static final String ISSUER = "https://switchboard.test/issuer";
    public static final String AUDIENCE = "switchboard";

    private static final KeyPair KEYS = generate();

    private TestTokens() {
    }

    public static String publicKeyPem() {
        return pem("PUBLIC KEY", KEYS.getPublic().getEncoded());
    }

    public static String privateKeyPem() {
        return pem("PRIVATE KEY", KEYS.getPrivate().getEncoded());
    }

    /** Writes the public key to a file (for services started as separate processes). */
    public static Path writePublicKey(Path directory) {
        try {
            Files.createDirectories(directory);
            Path file = directory.resolve("jwt-public.pem");
            Files.writeString(file, publicKeyPem(), StandardCharsets.US_ASCII);
            return file;
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String agent(UUID accountId, UUID agentId, String role) {
        return agent(accountId, agentId, role, Duration.ofHours(1));
    }

    public static String agent(UUID accountId, UUID agentId, String role, Duration lifetime) {
        return sign(Jwt.claims()
                .subject("agent:" + agentId)
                .claim("account_id", accountId.toString())
                .claim("agent_id", agentId.toString())
                .groups(Set.of(role)), lifetime);
    }

    public static String customer(UUID accountId, String subject, String name) {
        return customer(accountId, subject, name, Duration.ofHours(1));
    }

    public static String customer(UUID accountId, String subject, String name, Duration lifetime) {
        JwtClaimsBuilder claims = Jwt.claims()
                .subject(subject)
                .claim("account_id", accountId.toString())
                .groups(Set.of("customer"));
        if (name != null) {
            claims.claim("name", name);
        }
        return sign(claims, lifetime);
    }

    public static String operator() {
        return sign(Jwt.claims().subject("operator").groups(Set.of("operator")), Duration.ofHours(1));
    }

    /** Another Switchboard service (the gateway's presence sync). */
    public static String service() {
        return sign(Jwt.claims().subject("realtime-gateway").groups(Set.of("service")), Duration.ofHours(1));
    }

    /** Signs arbitrary claims with the test key (for tokens that tests want malformed or unusual). */
    public static String sign(JwtClaimsBuilder claims, Duration lifetime) {
        Instant now = Instant.now();
        return claims.issuer(ISSUER).audience(AUDIENCE)
                .issuedAt(now.getEpochSecond())
                .expiresAt(now.plus(lifetime).getEpochSecond())
                .jws().keyId("test").sign(KEYS.getPrivate());
    }

    private static KeyPair generate() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String pem(String type, byte[] der) {
        return LocalEnvironment.pem(type, der);
    }
}
