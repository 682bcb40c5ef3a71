package io.switchboard.metrics;

import io.quarkus.test.common.QuarkusTestResource;
import io.switchboard.testing.ConversationsServiceResource;

/** Every test of this module: the shared PostgreSQL, the conversations service beside it, the test token issuer. */
@QuarkusTestResource(ConversationsServiceResource.class)
public final class TestResources {

    private TestResources() {
    }
}
