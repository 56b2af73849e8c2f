package io.rollcall.app;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AssignmentsTest {

    @Test
    void oneInstanceCannotHoldTheStandbyCopiesOneReplicaAsksFor() {
        assertThat(new Assignments(12, 0, 1, 1).standbysMissing()).isTrue();
    }

    @Test
    void twoInstancesHoldEveryCopyOfOneStandbyReplica() {
        assertThat(new Assignments(6, 6, 2, 1).standbysMissing()).isFalse();
    }

    @Test
    void noStandbyReplicasAskedForMeansNoneAreMissing() {
        assertThat(new Assignments(12, 0, 1, 0).standbysMissing()).isFalse();
    }

    @Test
    void theLineSaysWhatThisInstanceRunsAndHowManyInstancesThereAre() {
        assertThat(new Assignments(6, 6, 2, 1).describe())
                .isEqualTo("this instance runs 6 active and 6 standby tasks; 2 instances in the group");
    }
}
