package io.rollcall.bench.quality;

/** Hand-made windows for the reference judges' tests: latencies spread evenly, errors counted. */
final class Samples {

    private Samples() {
    }

    /** {@code n} requests with latencies from 1 to 100 ms times {@code scale}, the first {@code errors} failed. */
    static RoleSamples role(int n, double scale, int errors) {
        double[] latencies = new double[n];
        boolean[] failed = new boolean[n];
        for (int i = 0; i < n; i++) {
            latencies[i] = scale * (1 + i % 100);
            failed[i] = i < errors;
        }
        return new RoleSamples(latencies, failed);
    }

    static WindowSamples window(RoleSamples canary, RoleSamples baseline) {
        return new WindowSamples(canary, new long[canary.count()], baseline, new long[baseline.count()]);
    }
}
