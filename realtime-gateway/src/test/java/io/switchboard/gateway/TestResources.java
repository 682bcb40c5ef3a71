package io.switchboard.gateway;

import io.quarkus.test.common.QuarkusTestResource;
import io.switchboard.testing.ConversationsServiceResource;

/** Every gateway test runs against the shared PostgreSQL and the packaged conversations service. */
@QuarkusTestResource(ConversationsServiceResource.class)
public final class TestResources {

    private TestResources() {
    }
}
