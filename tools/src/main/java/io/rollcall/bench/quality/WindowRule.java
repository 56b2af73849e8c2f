package io.rollcall.bench.quality;

import java.util.function.IntFunction;

/**
 * The reference judges' rollout rule, the one rollcall documents: ROLLBACK at
 * {@code failureLimit} failing windows in all, PROMOTE at {@code successWindows} consecutive
 * passing ones; a failing window breaks the run of passes, a window without data neither
 * counts nor breaks it.
 */
public final class WindowRule {

    private WindowRule() {
    }

    /** Runs one rollout through {@code judge} until it ends or {@code cap} windows have been judged. */
    public static Ending run(WindowJudge judge, QualitySpec spec, int cap, IntFunction<WindowSamples> windows) {
        int passing = 0;
        int failing = 0;
        for (int window = 0; window < cap; window++) {
            switch (judge.judge(windows.apply(window))) {
                case PASS -> passing++;
                case FAIL -> {
                    failing++;
                    passing = 0;
                }
                case NODATA -> { }
            }
            if (failing >= spec.failureLimit()) {
                return Ending.rolledBack(window + 1);
            }
            if (passing >= spec.successWindows()) {
                return Ending.promoted(window + 1);
            }
        }
        return Ending.undecided(cap);
    }
}
