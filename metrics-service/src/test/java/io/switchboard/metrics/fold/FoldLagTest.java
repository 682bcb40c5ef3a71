package io.switchboard.metrics.fold;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The fold-lag gauge: 0 when caught up, the age of the last folded event while events wait, growing when steps stop. */
class FoldLagTest {

    @Test
    void lagFollowsTheStepsAndGrowsWhenTheyStop() throws Exception {
        Folder folder = new Folder();
        assertThat(folder.lagSeconds()).isZero();

        Instant now = Instant.now();
        folder.lagAfter(new Folder.Step(500, true, Set.of(), now.minusSeconds(30), List.of()), now);
        assertThat(folder.lagSeconds()).isCloseTo(30, within(1.0));

        // a failed or empty step while behind keeps the last known age (it does not reset the lag)
        folder.lagAfter(Folder.Step.empty(true), now);
        assertThat(folder.lagSeconds()).isCloseTo(30, within(1.0));

        folder.lagAfter(new Folder.Step(20, false, Set.of(), now.minusSeconds(2), List.of()), Instant.now());
        assertThat(folder.lagSeconds()).isLessThan(0.5);
        Thread.sleep(300);
        assertThat(folder.lagSeconds()).as("no step since: the lag grows on its own").isGreaterThanOrEqualTo(0.3);

        folder.notLeading();
        assertThat(folder.lagSeconds()).as("a standby reports 0; the leader's figure counts").isZero();
    }
}
