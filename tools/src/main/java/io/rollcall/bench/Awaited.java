package io.rollcall.bench;

import java.util.List;

/** What a step of the scale benchmark waits for besides the lag. */
sealed interface Awaited {

    /** Nothing: the step lasts its time limit. */
    record Nothing() implements Awaited {
    }

    /** An instance (re)starting: until it is ready, and until it holds an active partition. */
    record Joining(ServeProcess instance) implements Awaited {
    }

    /** An instance gone: until every partition is active on one of the survivors. */
    record Leaving(List<ServeProcess> survivors) implements Awaited {
    }
}
