package io.rollcall.app;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class StartUpTest {

    @Test
    void splitsTheTimeUntilReadyIntoStartingJoiningAndRestoring() {
        assertThat(new StartUp(3.1, 9.8, 2.3, 106_982).describe()).isEqualTo("ready 9.8 s after the JVM started: "
                + "Kafka Streams started at 3.1 s, then 4.4 s joining the group and 2.3 s restoring 106,982 changelog "
                + "records");
    }
}
