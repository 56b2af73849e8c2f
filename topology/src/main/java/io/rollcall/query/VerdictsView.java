package io.rollcall.query;

import java.util.List;

/** The latest verdicts of a service, oldest first, with who served them. */
public record VerdictsView(String service, List<VerdictView> verdicts, String servedBy, boolean standby,
                           long lagRecords) {
}
