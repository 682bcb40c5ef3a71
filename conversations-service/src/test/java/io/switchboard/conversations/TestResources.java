package io.switchboard.conversations;

import io.quarkus.test.common.QuarkusTestResource;
import io.switchboard.testing.JwtTestResource;
import io.switchboard.testing.PostgresTestResource;

/** Every test of this module runs against the shared real PostgreSQL and trusts the test token issuer. */
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(JwtTestResource.class)
public final class TestResources {

    private TestResources() {
    }
}
