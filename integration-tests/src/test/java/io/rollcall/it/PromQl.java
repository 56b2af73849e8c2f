package io.rollcall.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * PromQL checked by Prometheus' own tools: {@code promtool check rules} parses and type-checks
 * expressions as the Prometheus server does, and the Prometheus project's Lezer grammar
 * ({@code @prometheus-io/lezer-promql}, run by Node in {@code src/test/promql}) says which metrics
 * and labels each expression reads. Needs {@code promtool} (on the PATH or unpacked by
 * {@code ./run-tests} under {@code .tools/prometheus}) and Node.js with npm.
 */
final class PromQl {

    private static final Path TOOL = Path.of("src", "test", "promql").toAbsolutePath();
    private static final Path WORK = Path.of("target", "promql").toAbsolutePath();
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What one expression reads: its selectors (metric and matched labels) and the labels it groups or joins on. */
    record Reads(String expr, Integer error, List<Selector> selectors, List<String> grouping) {
    }

    record Selector(String metric, List<String> labels) {
    }

    private PromQl() {
    }

    /** Grafana's variables replaced by values, so a panel's query is plain PromQL. */
    static String withoutGrafanaVariables(String expr) {
        return expr.replace("$__rate_interval", "1m").replace("$__interval", "1m").replace("$__range", "1h")
                .replaceAll("\\$\\{?namespace}?", "rollcall");
    }

    /**
     * {@code promtool check rules} on a rule file ({@code groups:} …); returns its output when it
     * fails, empty when every expression parses and type-checks.
     */
    static String promtoolProblems(String rulesYaml) {
        try {
            Files.createDirectories(WORK);
            Path rules = Files.createTempFile(WORK, "rules", ".yaml");
            Files.writeString(rules, rulesYaml);
            Path out = WORK.resolve("promtool.out");
            Process process = new ProcessBuilder(promtool(), "check", "rules", rules.toString())
                    .redirectErrorStream(true).redirectOutput(out.toFile()).start();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("promtool did not finish within 60 s");
            }
            return process.exitValue() == 0 ? "" : Files.readString(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Recording rules, one per expression, as a rule file promtool checks. */
    static String asRecordingRules(List<String> exprs) {
        try {
            ArrayNode rules = JSON.createArrayNode();
            for (int i = 0; i < exprs.size(); i++) {
                rules.addObject().put("record", "rollcall:check_" + i).put("expr", exprs.get(i));
            }
            return JSON.writeValueAsString(Map.of("groups", List.of(Map.of("name", "checked", "rules", rules))));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Parses every expression with the Lezer grammar (installing it from its lock file first). */
    static List<Reads> reads(List<String> exprs) {
        run(List.of("npm", "ci", "--no-audit", "--no-fund"), null);
        try {
            JsonNode report = JSON.readTree(run(List.of("node", "check.mjs"), JSON.writeValueAsString(exprs)));
            List<Reads> reads = new ArrayList<>();
            for (JsonNode expr : report) {
                List<Selector> selectors = new ArrayList<>();
                expr.get("selectors").forEach(s -> selectors.add(new Selector(s.get("metric").asText(null),
                        strings(s.get("labels")))));
                reads.add(new Reads(expr.get("expr").asText(), expr.get("error").isNull() ? null
                        : expr.get("error").asInt(), selectors, strings(expr.get("grouping"))));
            }
            return reads;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(item -> out.add(item.asText()));
        return out;
    }

    private static String run(List<String> command, String input) {
        try {
            Files.createDirectories(WORK);
            Path out = WORK.resolve(command.get(0) + ".out");
            Path err = WORK.resolve(command.get(0) + ".log");
            Process process;
            try {
                process = new ProcessBuilder(command).directory(TOOL.toFile())
                        .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            } catch (IOException e) {
                throw new IllegalStateException("cannot run " + command.get(0) + ": the monitoring test needs Node.js "
                        + "with npm on the PATH (./run-tests installs Debian's nodejs and npm)", e);
            }
            if (input != null) {
                process.getOutputStream().write(input.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            }
            process.getOutputStream().close();
            if (!process.waitFor(5, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " did not finish within 5 minutes");
            }
            if (process.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " exited with " + process.exitValue()
                        + ":\n" + Files.readString(err));
            }
            return Files.readString(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** promtool from the PATH, or as {@code ./run-tests} unpacks it. */
    private static String promtool() {
        Path unpacked = Path.of("..", ".tools", "prometheus", "usr", "bin", "promtool").toAbsolutePath().normalize();
        if (Files.isExecutable(unpacked)) {
            return unpacked.toString();
        }
        String path = System.getenv().getOrDefault("PATH", "");
        return Stream.of(path.split(java.io.File.pathSeparator)).map(dir -> Path.of(dir, "promtool"))
                .filter(Files::isExecutable).findFirst().map(Path::toString)
                .orElseThrow(() -> new IllegalStateException("no promtool: ./run-tests unpacks it from Debian's "
                        + "prometheus package under .tools/prometheus (or: sudo apt-get install prometheus)"));
    }
}
