package io.switchboard.gateway;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/** Nothing of another account reaches a connection: live, and resumed from the in-memory window (WebSocket, SSE). */
@QuarkusTest
class TenantIsolationTest {

    @Test
    void aResumeFromMemoryCarriesNothingOfAnotherAccountOnAnyTopic() {
        new TenantIsolation().resumeOverWebSockets();
    }

    @Test
    void anSseResumeWithLastEventIdCarriesNothingOfAnotherAccount() throws Exception {
        new TenantIsolation().resumeOverSse();
    }

    @Test
    void liveDeliveryCarriesNothingOfAnotherAccount() {
        new TenantIsolation().liveDelivery();
    }
}
