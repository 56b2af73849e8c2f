package io.rollcall.bench.quality;

/** How one rollout ended for one judge, after how many windows (1 = decided in the first window). */
public record Ending(Kind kind, int windows) {

    public enum Kind { PROMOTED, ROLLED_BACK, UNDECIDED }

    public static Ending promoted(int windows) {
        return new Ending(Kind.PROMOTED, windows);
    }

    public static Ending rolledBack(int windows) {
        return new Ending(Kind.ROLLED_BACK, windows);
    }

    public static Ending undecided(int windows) {
        return new Ending(Kind.UNDECIDED, windows);
    }
}
