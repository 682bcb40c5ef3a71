package io.switchboard.gateway;

import io.quarkus.test.common.QuarkusTestResource;

/** Every gateway test runs against the shared PostgreSQL and the packaged conversations and metrics services. */
@QuarkusTestResource(MetricsServiceResource.class)
public final class TestResources {

    private TestResources() {
    }
}
