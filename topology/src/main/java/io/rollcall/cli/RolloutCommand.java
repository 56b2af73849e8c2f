package io.rollcall.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rollcall.rollout.SloRule;
import io.rollcall.schema.avro.Slo;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "rollout", mixinStandardHelpOptions = true,
        description = "Start, follow and abort canary rollouts over the HTTP API of any instance.",
        subcommands = {RolloutCommand.Start.class, RolloutCommand.Status.class, RolloutCommand.Watch.class,
                RolloutCommand.Abort.class})
final class RolloutCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getOut());
        return 2;
    }

    private static String path(String service) {
        return "/api/v1/rollouts/" + ApiClient.encode(service);
    }

    @Command(name = "start", mixinStandardHelpOptions = true,
            description = "Write a rollout spec: rollcall judges the canary against the SLOs from now on.",
            footer = {"", "SLOs (--slo, repeatable):",
                    "  p95<=300ms         latency quantile (p5 … p99.9) at most a threshold (ms or s)",
                    "  p99<=1s+50%%        … and at most 50 %% above the baseline's in the same window",
                    "  p95<=+10%%          at most 10 %% above the baseline's only",
                    "  errors<=1%%         error rate (status >= 500) at most a threshold",
                    "  errors<=1%%+50%%     … and at most 50 %% above the baseline's",
                    "  errors<=+1%%        at most 1 %% above the baseline's only",
                    "", "Example:",
                    "  rollcall rollout start checkout --baseline v41 --canary v42 \\",
                    "      --slo 'p95<=300ms+20%%' --slo 'errors<=1%%'",
                    "", "Needs the API token (--token or ROLLCALL_API_TOKEN)."})
    static final class Start implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "SERVICE", description = "The service (labels.service of its events).")
        String service;

        @Option(names = "--baseline", required = true, description = "Baseline revision (labels.revision).")
        String baseline;

        @Option(names = "--canary", required = true, description = "Canary revision (labels.revision).")
        String canary;

        @Option(names = "--slo", required = true, paramLabel = "SLO", description = "An SLO, see below (repeatable).")
        List<String> slos = new ArrayList<>();

        @Option(names = "--rollout-id", description = "Rollout id (default: SERVICE-<epoch ms>).")
        String rolloutId;

        @Option(names = "--metric", description = "TIMER metric name (default: http.server.requests).")
        String metric;

        @Option(names = "--window", description = "Analysis window, e.g. 10s (default: 10s).")
        String window;

        @Option(names = "--min-samples", description = "Requests per window and role before judging (default: the API's).")
        Integer minSamples;

        @Option(names = "--failure-limit", description = "Failing windows before ROLLBACK (default: the API's).")
        Integer failureLimit;

        @Option(names = "--success-windows", description = "Consecutive passing windows before PROMOTE (default: the API's).")
        Integer successWindows;

        @Mixin
        ClientOptions options;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            ObjectNode body = ApiClient.JSON.createObjectNode();
            if (rolloutId != null) {
                body.put("rolloutId", rolloutId);
            }
            body.put("baselineRevision", baseline).put("canaryRevision", canary);
            if (metric != null) {
                body.put("metric", metric);
            }
            if (window != null) {
                body.put("analysisWindow", window);
            }
            if (minSamples != null) {
                body.put("minSamples", minSamples);
            }
            if (failureLimit != null) {
                body.put("failureLimit", failureLimit);
            }
            if (successWindows != null) {
                body.put("successWindows", successWindows);
            }
            ArrayNode array = body.putArray("slos");
            slos.forEach(slo -> array.add(slo(slo)));
            ApiClient api = options.client();
            options.requireToken("rollout start writes a spec");
            JsonNode answer = api.ok(api.send("PUT", path(service), body.toString()), "rollout start " + service);
            PrintWriter out = spec.commandLine().getOut();
            if (options.json) {
                out.println(answer.toPrettyString());
            } else {
                out.printf("rollout %s of %s accepted: canary %s against baseline %s, SLOs %s%n",
                        answer.path("accepted").path("rolloutId").asText(), service, canary, baseline,
                        String.join(", ", slos));
                out.printf("follow it: rollcall rollout watch %s%n", service);
            }
            out.flush();
            return 0;
        }

        /** The spec's JSON of an SLO in text form, or the usage error saying what is wrong with the text. */
        static ObjectNode slo(String text) {
            Slo slo;
            try {
                slo = SloRule.parse(text).toAvro();
            } catch (IllegalArgumentException e) {
                throw new ApiClient.CliError("--slo '" + text + "': " + e.getMessage(), 2);
            }
            ObjectNode node = ApiClient.JSON.createObjectNode().put("kind", slo.getKind().name());
            if (slo.getQuantile() != null) {
                node.put("quantile", slo.getQuantile());
            }
            if (slo.getThreshold() != null) {
                node.put("threshold", slo.getThreshold());
            }
            if (slo.getMaxRelativeIncrease() != null) {
                node.put("maxRelativeIncrease", slo.getMaxRelativeIncrease());
            }
            return node;
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true,
            description = "A rollout's status, latest verdict and its per-SLO results.")
    static final class Status extends ServiceCommand {
        @Override
        public Integer call() {
            ApiClient api = options.client();
            JsonNode status = api.ok(api.get(path(service)), "rollout " + service);
            PrintWriter out = spec.commandLine().getOut();
            if (options.json) {
                out.println(status.toPrettyString());
                out.flush();
                return 0;
            }
            out.printf("%s  rollout %s  %s  (latest decision %s; passing windows %d, failing %d)%n", service,
                    status.path("rolloutId").asText(), status.path("status").asText(), status.path("decision").asText(),
                    status.path("passingWindows").asInt(), status.path("failingWindows").asInt());
            JsonNode verdict = status.path("latestVerdict");
            if (verdict.isObject()) {
                out.printf("window %d: %s — %s%n", verdict.path("window").asInt(), verdict.path("decision").asText(),
                        verdict.path("reason").asText());
                Table table = new Table("SLO", "OUTCOME", "CANARY", "BASELINE", "SAMPLES (C/B)");
                verdict.path("results").forEach(r -> table.row(r.path("slo").asText(), r.path("outcome").asText(),
                        Table.number(r.path("canaryValue"), 4), Table.number(r.path("baselineValue"), 4),
                        r.path("canarySamples").asLong() + " / " + r.path("baselineSamples").asLong()));
                table.print(out);
            } else {
                out.println("no verdict yet: the first analysis window has not closed");
            }
            out.flush();
            return 0;
        }
    }

    @Command(name = "watch", mixinStandardHelpOptions = true,
            description = "Print a rollout's verdicts as they are published, until PROMOTE or ROLLBACK.",
            footer = {"", "Exit codes: 0 PROMOTE, 3 ROLLBACK, 5 --timeout passed first, 1 the API failed."})
    static final class Watch extends ServiceCommand {

        @Option(names = "--timeout", defaultValue = "30m", description = "Give up after this long (default: ${DEFAULT-VALUE}).")
        String timeout;

        @Option(names = "--interval", defaultValue = "1s", description = "Polling interval (default: ${DEFAULT-VALUE}).")
        String interval;

        @Override
        public Integer call() throws InterruptedException {
            ApiClient api = options.client();
            PrintWriter out = spec.commandLine().getOut();
            Duration limit = duration("--timeout", timeout);
            Duration poll = duration("--interval", interval);
            long deadline = System.nanoTime() + limit.toNanos();
            String rolloutId = api.ok(api.get(path(service)), "rollout " + service).path("rolloutId").asText();
            if (!options.json) {
                out.printf("watching %s, rollout %s (Ctrl-C to stop)%n", service, rolloutId);
                out.flush();
            }
            int seen = 0;
            while (System.nanoTime() < deadline) {
                JsonNode history = api.ok(api.get(path(service) + "/verdicts?limit=1000"), "verdicts of " + service);
                List<JsonNode> ours = new ArrayList<>();
                history.path("verdicts").forEach(v -> {
                    if (v.path("rolloutId").asText().equals(rolloutId)) {
                        ours.add(v);
                    }
                });
                for (int i = seen; i < ours.size(); i++) {
                    JsonNode v = ours.get(i);
                    if (options.json) {
                        out.println(v.toString());
                    } else {
                        out.printf("%s  window %-3d %-8s %s%s%n", v.path("decidedAt").asText(), v.path("window").asInt(),
                                v.path("decision").asText(), v.path("early").asBoolean() ? "(early) " : "",
                                v.path("reason").asText());
                    }
                    out.flush();
                    switch (v.path("decision").asText()) {
                        case "PROMOTE":
                            return 0;
                        case "ROLLBACK":
                            return 3;
                        default:
                            break;
                    }
                }
                seen = ours.size();
                Thread.sleep(poll.toMillis());
            }
            spec.commandLine().getErr().printf("rollcall: no terminal verdict for %s within %s%n", service, timeout);
            return 5;
        }
    }

    @Command(name = "abort", mixinStandardHelpOptions = true,
            description = "Remove a rollout's spec: judging stops (the verdicts so far stay on the topic).")
    static final class Abort extends ServiceCommand {
        @Override
        public Integer call() {
            options.requireToken("rollout abort removes a spec");
            ApiClient api = options.client();
            api.ok(api.send("DELETE", path(service), null), "rollout abort " + service);
            spec.commandLine().getOut().printf("rollout of %s removed; judging stopped%n", service);
            spec.commandLine().getOut().flush();
            return 0;
        }
    }

    /** A sub-command about one service's rollout, with the client options. */
    abstract static class ServiceCommand implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "SERVICE", description = "The service whose rollout to use.")
        String service;

        @Mixin
        ClientOptions options;

        @Spec
        CommandSpec spec;
    }

    static Duration duration(String option, String value) {
        try {
            return io.rollcall.config.Durations.parse(option, value);
        } catch (RuntimeException e) {
            throw new ApiClient.CliError(option + ": '" + value + "' is not a duration; e.g. 30s, 5m, 1h", 2);
        }
    }
}
