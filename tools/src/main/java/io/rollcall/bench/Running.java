package io.rollcall.bench;

import io.rollcall.app.RollcallApp;
import java.time.Duration;

/** The wait every benchmark makes before it measures: the app in RUNNING, or the run fails. */
final class Running {

    private Running() {
    }

    static void await(RollcallApp app, Duration timeout) throws InterruptedException {
        if (!app.awaitRunning(timeout)) {
            throw new IllegalStateException("instance " + app.instance() + " did not reach RUNNING within "
                    + timeout.toMinutes() + " minutes");
        }
    }
}
