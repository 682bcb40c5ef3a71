package io.switchboard.gateway;

import io.restassured.RestAssured;
import io.switchboard.testing.ConversationsServiceResource;
import io.switchboard.testing.Tenant;
import io.switchboard.testing.WsClient;
import java.time.Duration;

/** Helpers for tests of the gateway under test (the @QuarkusTest application). */
final class Gateway {

    static final Duration WAIT = Duration.ofSeconds(10);

    private Gateway() {
    }

    static String wsUrl() {
        return "ws://localhost:" + RestAssured.port + "/ws";
    }

    static Tenant tenant() {
        return Tenant.create(ConversationsServiceResource.baseUrl());
    }

    /** Connected and authenticated through the Authorization header. */
    static WsClient connect(String token) {
        WsClient client = WsClient.connect(wsUrl(), token);
        client.await("authenticated", WAIT);
        return client;
    }
}
