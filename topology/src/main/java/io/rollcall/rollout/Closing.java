package io.rollcall.rollout;

import io.rollcall.schema.avro.Decision;
import io.rollcall.schema.avro.RolloutSpec;
import io.rollcall.schema.avro.SloOutcome;
import io.rollcall.schema.avro.SloResult;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * What the judge decides when a window closes, from the window's {@link Judgement} and the
 * counts of the windows before. Pure, like the judgement.
 *
 * <ul>
 *   <li>ROLLBACK when the evidence of all windows so far is conclusive, or when
 *       {@code failureLimit} windows have failed in total;
 *   <li>PROMOTE after {@code successWindows} consecutive passing windows, if the pooled
 *       evidence of every check shows it inside its bound at the spec's confidence (its upper
 *       bound D + z·√V at most 0) — a canary that passes window by window while the evidence
 *       cannot tell it from a regression is given more windows;
 *   <li>HOLD without enough data; CONTINUE otherwise, saying why.
 * </ul>
 *
 * @param passing consecutive passing windows, this one included
 * @param failing failing windows in total, this one included
 */
public record Closing(Decision decision, int passing, int failing, String reason) {

    /** Whether the decision ends the rollout. */
    public boolean terminal() {
        return decision == Decision.PROMOTE || decision == Decision.ROLLBACK;
    }

    /** The decision on window {@code index} after {@code passing} and {@code failing} windows before it. */
    public static Closing of(RolloutSpec spec, int index, int passing, int failing, WindowStats stats,
                             Judgement.Result result) {
        return switch (result.outcome()) {
            case FAIL -> {
                int failed = failing + 1;
                Decision decision = result.conclusive() || failed >= spec.getFailureLimit() ? Decision.ROLLBACK
                        : Decision.CONTINUE;
                yield new Closing(decision, 0, failed, String.format(Locale.ROOT,
                        "%s: window %d failed%s: %s (failing windows %d of %d)",
                        decision == Decision.ROLLBACK ? "rollback" : "continue", index,
                        result.conclusive() ? ", on conclusive evidence" : "", reasons(result.failed()), failed,
                        spec.getFailureLimit()));
            }
            case PASS -> {
                int passed = passing + 1;
                boolean enough = passed >= spec.getSuccessWindows();
                Decision decision = enough && result.unproven().isEmpty() ? Decision.PROMOTE : Decision.CONTINUE;
                yield new Closing(decision, passed, failing, String.format(Locale.ROOT,
                        "%s: window %d passed (%d of %d consecutive passing windows)%s: %s",
                        decision == Decision.PROMOTE ? "promote" : "continue", index, passed,
                        spec.getSuccessWindows(), enough && decision == Decision.CONTINUE
                                ? ", but the evidence so far does not show " + String.join(" and ", result.unproven())
                                : "", reasons(result.slos())));
            }
            case NODATA -> new Closing(Decision.HOLD, passing, failing,
                    stats.isEmpty()
                            ? String.format(Locale.ROOT, "hold: no traffic in window %d", index)
                            : String.format(Locale.ROOT, "hold: too little data in window %d: %s", index,
                            result.slos().stream().filter(r -> r.getOutcome() == SloOutcome.NODATA)
                                    .map(SloResult::getReason).distinct().collect(Collectors.joining("; "))));
        };
    }

    /**
     * A ROLLBACK before window {@code index} closed, when the evidence with the open window's
     * samples is conclusive; empty otherwise. The open window counts as failing.
     */
    public static Optional<Closing> early(RolloutSpec spec, int index, int failing, Judgement.Result result) {
        if (!result.conclusive()) {
            return Optional.empty();
        }
        return Optional.of(new Closing(Decision.ROLLBACK, 0, failing + 1, String.format(Locale.ROOT,
                "rollback before window %d closed, on conclusive evidence: %s", index, reasons(result.failed()))));
    }

    static String reasons(List<SloResult> results) {
        return results.stream().map(SloResult::getReason).collect(Collectors.joining("; "));
    }
}
