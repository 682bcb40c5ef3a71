package io.switchboard.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/** Points a Quarkus test application at the JVM's shared {@link TestDatabase}. */
public class PostgresTestResource implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        return TestDatabase.shared().quarkusConfig();
    }

    @Override
    public void stop() {
        // The database outlives a single application start; a shutdown hook stops it with the JVM.
    }
}
