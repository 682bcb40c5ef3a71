package io.switchboard.gateway;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

/** The same isolation when the replay must read the database (the strict profile keeps 3 events in memory). */
@QuarkusTest
@TestProfile(StrictProfile.class)
class TenantIsolationFromDatabaseTest {

    @Test
    void aResumeFromTheDatabaseCarriesNothingOfAnotherAccountOnAnyTopic() {
        new TenantIsolation().resumeOverWebSockets();
    }

    @Test
    void anSseResumeFromTheDatabaseCarriesNothingOfAnotherAccount() throws Exception {
        new TenantIsolation().resumeOverSse();
    }
}
