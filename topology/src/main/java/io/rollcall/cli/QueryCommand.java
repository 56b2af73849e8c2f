package io.rollcall.cli;

import static io.rollcall.cli.ApiClient.encode;

import com.fasterxml.jackson.databind.JsonNode;
import io.rollcall.aggregate.Quantiles;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "query", mixinStandardHelpOptions = true,
        description = {"Read aggregates over the HTTP API of any instance.",
                "With an ID: that series' all-time aggregate (--windows: its windows). Without: a page of the "
                        + "cluster-wide scan in unsigned id order."},
        footer = {"", "Examples:", "  rollcall query 42", "  rollcall query 18446744073709551615 --windows --from 30m",
                "  rollcall query --limit 20 --json",
                "", "Exit codes: 0 found, 4 unknown id, 1 the API failed or cannot be reached, 2 bad usage."})
final class QueryCommand implements Callable<Integer> {

    @Parameters(index = "0", arity = "0..1", paramLabel = "ID", description = "Series id, 0 … 18446744073709551615.")
    String id;

    @Option(names = "--windows", description = "Show the series' tumbling windows instead of its all-time aggregate.")
    boolean windows;

    @Option(names = "--from", defaultValue = "1h",
            description = "With --windows: start, as ISO-8601, epoch ms, or a duration back from now (default: ${DEFAULT-VALUE}).")
    String from;

    @Option(names = "--to", description = "With --windows: end, as --from (default: now).")
    String to;

    @Option(names = "--limit", defaultValue = "20", description = "Without ID: series per page (default: ${DEFAULT-VALUE}).")
    int limit;

    @Option(names = "--cursor", description = "Without ID: continue after the page that printed this cursor.")
    String cursor;

    @Option(names = "--fresh", description = "Refuse standby (possibly stale) answers.")
    boolean fresh;

    @Mixin
    ClientOptions options;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        ApiClient api = options.client();
        PrintWriter out = spec.commandLine().getOut();
        String freshness = fresh ? "fresh=true" : "";
        if (id == null) {
            JsonNode page = api.getOk("/api/v1/metrics?limit=" + limit + (cursor == null ? "" : "&cursor=" + encode(cursor))
                    + (fresh ? "&" + freshness : ""));
            if (options.json) {
                out.println(page.toPrettyString());
                return 0;
            }
            Table table = new Table("ID", "NAME", "TYPE", "COUNT", "MEAN", "P99", "ERRORS");
            page.path("items").forEach(m -> table.row(m.path("id").asText(), m.path("name").asText(),
                    m.path("type").asText(), Table.number(m.path("count"), 0), Table.number(m.path("mean"), 2),
                    Table.number(m.path("quantiles").path("p99"), 2), Table.percent(m.path("errorRate"))));
            table.print(out);
            if (!page.path("nextCursor").isNull() && page.has("nextCursor")) {
                out.printf("more: rollcall query --limit %d --cursor %s%n", limit, page.path("nextCursor").asText());
            }
            return 0;
        }
        if (windows) {
            String path = "/api/v1/metrics/" + encode(id) + "/windows?from=" + encode(time(from)) + "&to="
                    + encode(to == null ? Instant.now().toString() : time(to)) + (fresh ? "&" + freshness : "");
            JsonNode body = api.ok(api.get(path), "series " + id);
            if (options.json) {
                out.println(body.toPrettyString());
                return 0;
            }
            Table table = new Table("WINDOW START", "COUNT", "MEAN", "MIN", "MAX", "P50", "P95", "P99", "ERRORS");
            body.path("windows").forEach(w -> table.row(w.path("windowStart").asText(), Table.number(w.path("count"), 0),
                    Table.number(w.path("mean"), 2), Table.number(w.path("min"), 2), Table.number(w.path("max"), 2),
                    Table.number(w.path("quantiles").path("p50"), 2), Table.number(w.path("quantiles").path("p95"), 2),
                    Table.number(w.path("quantiles").path("p99"), 2), Table.percent(w.path("errorRate"))));
            table.print(out);
            out.println(served(body));
            return 0;
        }
        JsonNode m = api.ok(api.get("/api/v1/metrics/" + encode(id) + (fresh ? "?" + freshness : "")), "series " + id);
        if (options.json) {
            out.println(m.toPrettyString());
            return 0;
        }
        Table table = new Table("FIELD", "VALUE");
        table.row("id", m.path("id").asText());
        table.row("name", m.path("name").asText());
        table.row("type", m.path("type").asText());
        table.row("count", Table.number(m.path("count"), 0));
        table.row("sum", Table.number(m.path("sum"), 3));
        table.row("mean", Table.number(m.path("mean"), 3));
        table.row("min / max", Table.number(m.path("min"), 3) + " / " + Table.number(m.path("max"), 3));
        table.row("last", Table.number(m.path("last"), 3));
        table.row("errors", Table.number(m.path("errorCount"), 0) + " (" + Table.percent(m.path("errorRate")) + ")");
        for (String q : Quantiles.publishedKeys()) {
            table.row(q, Table.number(m.path("quantiles").path(q), 3));
        }
        table.row("first / last event", m.path("firstEventTime").asText() + " / " + m.path("lastEventTime").asText());
        table.print(out);
        out.println(served(m));
        return 0;
    }

    private static String served(JsonNode body) {
        return "served by " + body.path("servedBy").asText()
                + (body.path("stale").asBoolean() ? " (standby, " + body.path("lagRecords").asLong() + " records behind)" : "");
    }

    /** ISO-8601 and epoch ms pass through; a duration ("30m", "PT2H") counts back from now. */
    static String time(String value) {
        String v = value.strip();
        if (v.matches("\\d{4}-.*") || v.matches("\\d{10,}")) {
            return v;
        }
        try {
            Duration back = io.rollcall.config.Durations.parse("--from/--to", v);
            return Instant.now().minus(back).toString();
        } catch (RuntimeException e) {
            throw new ApiClient.CliError("--from/--to: '" + value + "' is neither a time (2026-11-27T10:00:00Z, epoch ms) "
                    + "nor a duration back from now (30m, 2h)", 2);
        }
    }
}
