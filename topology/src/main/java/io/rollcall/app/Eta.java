package io.rollcall.app;

import java.util.Locale;

/** One line of progress for long work: done of total, percent, rate and the time left at that rate. */
public final class Eta {

    private Eta() {
    }

    /**
     * @param total   0 when open-ended (no percent or ETA then)
     * @param seconds since the work began
     */
    public static String line(String what, long done, long total, double seconds) {
        double rate = seconds > 0 ? done / seconds : 0;
        if (total <= 0) {
            return String.format(Locale.ROOT, "%s %,d (%,.0f/s, %s elapsed)", what, done, rate, duration(seconds));
        }
        String eta = rate > 0 && done < total ? duration((total - done) / rate) : done >= total ? "0 s" : "unknown";
        return String.format(Locale.ROOT, "%s %,d of %,d (%.1f %%), %,.0f/s, %s elapsed, ETA %s", what, done, total,
                100.0 * done / total, rate, duration(seconds), eta);
    }

    static String duration(double seconds) {
        long s = Math.round(seconds);
        if (s < 60) {
            return s + " s";
        }
        if (s < 3600) {
            return String.format(Locale.ROOT, "%d min %02d s", s / 60, s % 60);
        }
        return String.format(Locale.ROOT, "%d h %02d min", s / 3600, (s % 3600) / 60);
    }
}
