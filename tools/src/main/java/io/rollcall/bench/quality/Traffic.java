package io.rollcall.bench.quality;

import java.util.random.RandomGenerator;

/** Requests per role in each analysis window; canary and baseline get the same count. */
public sealed interface Traffic {

    /**
     * @param phase a draw in [0, 1) fixed per rollout, so a rollout's traffic pattern is its own
     */
    int requests(int window, double phase, RandomGenerator random);

    /** The same count every window. */
    record Steady(int perWindow) implements Traffic {
        @Override
        public int requests(int window, double phase, RandomGenerator random) {
            return perWindow;
        }
    }

    /** Around {@code perWindow}, with a quarter of the windows bursts of ×3 and a quarter lulls of ×0.3. */
    record Bursty(int perWindow) implements Traffic {
        @Override
        public int requests(int window, double phase, RandomGenerator random) {
            double draw = random.nextDouble();
            double factor = draw < 0.25 ? 3 : draw < 0.5 ? 0.3 : 1;
            return (int) Math.round(perWindow * factor);
        }
    }

    /** A day compressed into {@code period} windows: from 0.2 to 1.8 × {@code perWindow}, starting at a random hour. */
    record Diurnal(int perWindow, int period) implements Traffic {
        @Override
        public int requests(int window, double phase, RandomGenerator random) {
            double factor = 1 + 0.8 * Math.sin(2 * Math.PI * (window / (double) period + phase));
            return (int) Math.round(perWindow * factor);
        }
    }
}
