package io.switchboard.conversations.security;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import io.smallrye.jwt.auth.principal.DefaultJWTParser;
import io.smallrye.jwt.auth.principal.JWTAuthContextInfo;
import io.smallrye.jwt.auth.principal.JWTParser;
import io.smallrye.jwt.auth.principal.ParseException;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;
import jakarta.inject.Inject;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import javax.crypto.SecretKey;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * smallrye-jwt's parser with a bounded cache of successfully verified tokens. A client sends the same
 * token with every request, and the RSA signature check was half of a request's CPU; a cache hit needs
 * the exact same token string (signature included) and ends no later than the token's expiry, so
 * nothing is accepted that the parser would have refused.
 */
@Alternative
@Priority(1)
@ApplicationScoped
public class CachingJwtParser implements JWTParser {

    private static final long MAX_ENTRY_LIFETIME_NANOS = Duration.ofMinutes(10).toNanos();

    @Inject
    DefaultJWTParser delegate;

    private final Cache<String, JsonWebToken> verified = Caffeine.newBuilder()
            .maximumSize(20_000)
            .expireAfter(new Expiry<String, JsonWebToken>() {
                @Override
                public long expireAfterCreate(String token, JsonWebToken jwt, long currentTime) {
                    long untilExpiry = TimeUnit.SECONDS.toNanos(jwt.getExpirationTime() - System.currentTimeMillis() / 1000);
                    return Math.max(0, Math.min(untilExpiry, MAX_ENTRY_LIFETIME_NANOS));
                }

                @Override
                public long expireAfterUpdate(String token, JsonWebToken jwt, long currentTime, long currentDuration) {
                    return currentDuration;
                }

                @Override
                public long expireAfterRead(String token, JsonWebToken jwt, long currentTime, long currentDuration) {
                    return currentDuration;
                }
            })
            .build();

    @Override
    public JsonWebToken parse(String token) throws ParseException {
        JsonWebToken cached = verified.getIfPresent(token);
        if (cached != null && cached.getExpirationTime() > System.currentTimeMillis() / 1000) {
            return cached;
        }
        JsonWebToken jwt = delegate.parse(token);
        verified.put(token, jwt);
        return jwt;
    }

    @Override
    public JsonWebToken parse(String token, JWTAuthContextInfo context) throws ParseException {
        return delegate.parse(token, context);
    }

    @Override
    public JsonWebToken verify(String token, PublicKey key) throws ParseException {
        return delegate.verify(token, key);
    }

    @Override
    public JsonWebToken verify(String token, SecretKey key) throws ParseException {
        return delegate.verify(token, key);
    }

    @Override
    public JsonWebToken verify(String token, String secret) throws ParseException {
        return delegate.verify(token, secret);
    }

    @Override
    public JsonWebToken decrypt(String token, PrivateKey key) throws ParseException {
        return delegate.decrypt(token, key);
    }

    @Override
    public JsonWebToken decrypt(String token, SecretKey key) throws ParseException {
        return delegate.decrypt(token, key);
    }

    @Override
    public JsonWebToken decrypt(String token, String secret) throws ParseException {
        return delegate.decrypt(token, secret);
    }

    @Override
    public JsonWebToken parseOnly(String token) throws ParseException {
        return delegate.parseOnly(token);
    }
}
