package io.rollcall.bench.quality;

/**
 * Everything one rollout receives in one analysis window: both roles' requests and the
 * offset of each within the window (ms), in the order they are sent.
 */
public record WindowSamples(RoleSamples canary, long[] canaryOffsets, RoleSamples baseline, long[] baselineOffsets) {
}
