package io.rollcall.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.rollcall.bench.ServeProcess;
import io.rollcall.config.RollcallConfig;
import io.rollcall.schema.SeriesId;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/** rollcall instances as separate JVMs running {@code rollcall serve}, so a test can SIGKILL one. */
final class Instances {

    static final Path JAR = Path.of("..", "topology", "target", "rollcall.jar").toAbsolutePath().normalize();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final int CONCURRENT_READS = 8;

    /** One running instance. */
    record Instance(int port, Process process, Path log) {
        String base() {
            return "http://127.0.0.1:" + port;
        }

        HttpResponse<String> get(String path, String... headers) throws IOException, InterruptedException {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base() + path))
                    .timeout(Duration.ofSeconds(10)).GET();
            if (headers.length > 0) {
                request.headers(headers);
            }
            return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        }

        HttpResponse<String> put(String path, String json, String token) throws IOException, InterruptedException {
            return HTTP.send(HttpRequest.newBuilder(URI.create(base() + path)).timeout(Duration.ofSeconds(10))
                    .header("Content-Type", "application/json").header("Authorization", "Bearer " + token)
                    .PUT(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
        }

        /** Whether this instance answers 200 for every id (answers may still lag the producer). */
        boolean answersEvery(List<Long> ids) {
            try {
                for (long id : ids) {
                    if (get("/api/v1/metrics/" + SeriesId.of(id)).statusCode() != 200) {
                        return false;
                    }
                }
                return true;
            } catch (IOException e) {
                return false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }

        /**
         * The JSON answers of GETs of {@code path} of every key, by key, with at most {@link #CONCURRENT_READS}
         * requests in flight: reads of thousands of series one after the other took tens of seconds.
         */
        <K> Map<K, JsonNode> getAll(Collection<K> keys, Function<K, String> path) throws InterruptedException {
            Semaphore inFlight = new Semaphore(CONCURRENT_READS);
            Map<K, CompletableFuture<String>> answers = new LinkedHashMap<>();
            for (K key : keys) {
                inFlight.acquire();
                HttpRequest request = HttpRequest.newBuilder(URI.create(base() + path.apply(key)))
                        .timeout(Duration.ofSeconds(10)).GET().build();
                answers.put(key, HTTP.sendAsync(request, HttpResponse.BodyHandlers.ofString())
                        .whenComplete((response, failure) -> inFlight.release())
                        .thenApply(HttpResponse::body));
            }
            Map<K, JsonNode> parsed = new LinkedHashMap<>();
            answers.forEach((key, answer) -> parsed.put(key, Api.parse(answer.join())));
            return parsed;
        }

        /** Asserts that this instance serves every window of every series of {@code truth} with its count and sum. */
        void assertServesTheWindowsOf(GroundTruth truth) throws InterruptedException {
            Map<Long, Map<Long, double[]>> expectedBySeries = new HashMap<>();
            truth.byId().keySet().forEach(series -> expectedBySeries.put(series, truth.windowsOf(series)));
            Map<Long, JsonNode> answers = getAll(expectedBySeries.keySet(), series -> {
                Map<Long, double[]> expected = expectedBySeries.get(series);
                long from = expected.keySet().stream().mapToLong(Long::longValue).min().orElseThrow();
                long to = expected.keySet().stream().mapToLong(Long::longValue).max().orElseThrow();
                return "/api/v1/metrics/" + SeriesId.of(series) + "/windows?from=" + from + "&to=" + to;
            });
            for (Map.Entry<Long, Map<Long, double[]>> entry : expectedBySeries.entrySet()) {
                String id = SeriesId.of(entry.getKey()).toString();
                Map<Long, double[]> expected = entry.getValue();
                JsonNode windows = answers.get(entry.getKey()).get("windows");
                Map<Long, double[]> actual = new HashMap<>();
                windows.forEach(w -> actual.put(Instant.parse(w.get("windowStart").asText()).toEpochMilli(),
                        new double[] {w.get("count").asDouble(), w.get("sum").asDouble()}));
                assertThat(actual.keySet()).as("windows of %s", id).isEqualTo(expected.keySet());
                expected.forEach((start, cs) -> assertThat(actual.get(start)).as("window %d of %s", start, id)
                        .containsExactly(cs));
            }
        }

        /** SIGKILL, and the process reaped (an {@code @AfterAll} that must not leave JVMs behind). */
        void kill() throws InterruptedException {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }

        boolean ready() {
            try {
                return get("/health/ready").statusCode() == 200;
            } catch (IOException e) {
                return false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
    }

    private Instances() {
    }

    /** SIGKILLs every instance started (null: not started), for an {@code @AfterAll}. */
    static void killAll(Instance... instances) throws InterruptedException {
        for (Instance instance : instances) {
            if (instance != null) {
                instance.kill();
            }
        }
    }

    static Instance start(RollcallConfig config, String name, Map<String, String> overrides) throws IOException {
        return start(List.of("-jar", JAR.toString()), config, name, overrides);
    }

    /** An instance of another build: {@code program} is java's arguments before {@code serve}. */
    static Instance start(List<String> program, RollcallConfig config, String name, Map<String, String> overrides)
            throws IOException {
        Map<String, String> settings = new HashMap<>(overrides);
        settings.put("rollcall.http.advertised-host", "127.0.0.1");
        ServeProcess serve = ServeProcess.start(program, config, name, settings);
        return new Instance(serve.port(), serve.process(), serve.log());
    }
}
