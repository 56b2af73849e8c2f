package io.rollcall.bench.quality;

/** What a judge should achieve on a scenario; {@link #met} reads it off the judge's tally. */
public sealed interface Target {

    boolean met(Tally tally);

    String describe();

    /** What the judge did, in the target's terms: "3 of 1,000 rolled back". */
    String measured(Tally tally);

    /** Not one healthy rollout rolled back, over at least {@code atLeast} rollouts. */
    record NoRollback(int atLeast) implements Target {
        @Override
        public boolean met(Tally tally) {
            return tally.rolledBack() == 0 && tally.rollouts() >= atLeast;
        }

        @Override
        public String describe() {
            return String.format("0 false rollbacks in >= %,d rollouts", atLeast);
        }

        @Override
        public String measured(Tally tally) {
            String measured = String.format("%,d of %,d rolled back", tally.rolledBack(), tally.rollouts());
            return tally.rollouts() < atLeast ? measured + ", too few rollouts to tell" : measured;
        }
    }

    /** At least {@code share} of the rollouts rolled back within {@code windows} windows. */
    record RolledBackWithin(double share, int windows) implements Target {
        @Override
        public boolean met(Tally tally) {
            return tally.rolledBackWithin(windows) >= share * tally.rollouts();
        }

        @Override
        public String describe() {
            return String.format("%s rolled back within %d windows", share >= 1 ? "100 %" : ">= " + Math.round(share * 100) + " %",
                    windows);
        }

        @Override
        public String measured(Tally tally) {
            return Report.percent(tally.rolledBackWithin(windows), tally.rollouts());
        }
    }

    /** A regression is never promoted. */
    record NeverPromoted() implements Target {
        @Override
        public boolean met(Tally tally) {
            return tally.promoted() == 0;
        }

        @Override
        public String describe() {
            return "never promoted";
        }

        @Override
        public String measured(Tally tally) {
            return String.format("%,d promoted", tally.promoted());
        }
    }

    /** Without enough traffic to judge, neither promoted nor rolled back: held to the cap. */
    record HeldThroughout() implements Target {
        @Override
        public boolean met(Tally tally) {
            return tally.undecided() == tally.rollouts();
        }

        @Override
        public String describe() {
            return "HOLD: never promoted nor rolled back";
        }

        @Override
        public String measured(Tally tally) {
            return String.format("%,d decided", tally.rollouts() - tally.undecided());
        }
    }
}
