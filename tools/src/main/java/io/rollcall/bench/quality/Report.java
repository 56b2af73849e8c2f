package io.rollcall.bench.quality;

import java.io.PrintStream;
import java.util.List;
import java.util.Map;

/** The benchmark's tables, in Markdown so they paste into BENCHMARKS.md as printed. */
public final class Report {

    /** One scenario's endings under each judge, in the order the judges are shown. */
    public record Row(Scenario scenario, Map<String, Tally> tallies) {
    }

    private Report() {
    }

    static String percent(int count, int of) {
        return of == 0 ? "-" : String.format("%.1f %%", 100.0 * count / of);
    }

    /** Shares of the rollouts: promoted, rolled back within 1, 2 and 3 windows (cumulative) and later, held at the cap. */
    public static void outcomes(List<Row> rows, int cap, PrintStream out) {
        out.printf("| scenario | judge | rollouts | promoted | rolled back within 1 / 2 / 3 windows | rolled back later "
                + "| held at the cap (%d) |%n", cap);
        out.println("|---|---|---:|---:|---:|---:|---:|");
        rows.forEach(row -> rows(row, out));
    }

    /** One scenario's lines of {@link #outcomes}, without the header. */
    public static void rows(Row row, PrintStream out) {
        String scenario = row.scenario().name();
        for (Map.Entry<String, Tally> entry : row.tallies().entrySet()) {
            Tally tally = entry.getValue();
            int n = tally.rollouts();
            out.printf("| %s | %s | %,d | %s | %s / %s / %s | %s | %s |%n", scenario, entry.getKey(), n,
                    percent(tally.promoted(), n), percent(tally.rolledBackWithin(1), n),
                    percent(tally.rolledBackWithin(2), n), percent(tally.rolledBackWithin(3), n),
                    percent(tally.rolledBack() - tally.rolledBackWithin(3), n), percent(tally.undecided(), n));
            scenario = "";
        }
    }

    /** Each target of each scenario, met or missed by each judge, with what the judge did. */
    public static void targets(List<Row> rows, PrintStream out) {
        List<String> judges = List.copyOf(rows.get(0).tallies().keySet());
        out.printf("| scenario | target | %s |%n", String.join(" | ", judges));
        out.println("|---|---" + "|---".repeat(judges.size()) + "|");
        for (Row row : rows) {
            for (Target target : row.scenario().targets()) {
                StringBuilder line = new StringBuilder("| " + row.scenario().name() + " | " + target.describe() + " |");
                for (String judge : judges) {
                    Tally tally = row.tallies().get(judge);
                    line.append(' ').append(target.met(tally) ? "met" : "**missed**")
                            .append(" (").append(target.measured(tally)).append(") |");
                }
                out.println(line);
            }
        }
    }
}
