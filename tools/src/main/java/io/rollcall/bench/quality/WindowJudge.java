package io.rollcall.bench.quality;

/** A reference judge: one window's samples in, whether the window passed out. */
public interface WindowJudge {

    enum Outcome { PASS, FAIL, NODATA }

    /** Shown in the table. */
    String name();

    Outcome judge(WindowSamples window);

    /** Too few requests to judge: fewer than {@code minSamples} for either role. */
    static boolean tooFew(WindowSamples window, QualitySpec spec) {
        return window.canary().count() < spec.minSamples() || window.baseline().count() < spec.minSamples();
    }
}
