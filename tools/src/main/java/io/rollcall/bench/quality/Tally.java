package io.rollcall.bench.quality;

import java.util.List;

/** The endings of a scenario's rollouts under one judge. */
public record Tally(List<Ending> endings) {

    public Tally {
        endings = List.copyOf(endings);
    }

    public int rollouts() {
        return endings.size();
    }

    public int promoted() {
        return count(Ending.Kind.PROMOTED, Integer.MAX_VALUE);
    }

    public int rolledBack() {
        return count(Ending.Kind.ROLLED_BACK, Integer.MAX_VALUE);
    }

    /** Rolled back in one of the first {@code windows} windows (an early rollback counts in the window it interrupted). */
    public int rolledBackWithin(int windows) {
        return count(Ending.Kind.ROLLED_BACK, windows);
    }

    public int undecided() {
        return count(Ending.Kind.UNDECIDED, Integer.MAX_VALUE);
    }

    private int count(Ending.Kind kind, int maxWindows) {
        return (int) endings.stream().filter(e -> e.kind() == kind && e.windows() <= maxWindows).count();
    }
}
