package io.rollcall.it;

import static io.rollcall.it.KafkaCluster.compacted;
import static io.rollcall.it.KafkaCluster.topic;
import static org.assertj.core.api.Assertions.assertThat;

import io.rollcall.app.RollcallApp;
import io.rollcall.config.RollcallConfig;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Thousands of malformed requests, written as raw bytes on a socket so nothing is cleaned up
 * by a client library on the way: hostile ids, ranges, cursors, query strings, bodies,
 * headers, methods and very long paths, against every endpoint. Every one must get a 2xx or
 * 4xx answer — never a 5xx, never a stack trace, never a hang — and the app keeps serving.
 */
class HostileHttpIT {

    private static final String TOKEN = "hostile-token-0123456789";
    private static final int REQUESTS = 3_000;
    private static final String[] ENDPOINTS = {
        "/api/v1/metrics/%s", "/api/v1/metrics/%s/windows?from=%s&to=%s", "/api/v1/metrics?from=%s&to=%s&limit=%s&cursor=%s",
        "/api/v1/instances?%s", "/internal/v1/scan?partitions=%s&from=%s", "/health/live?%s", "/health/ready",
        "/api/v1/rollouts/%s", "/api/v1/rollouts/%s/verdicts?limit=%s", "/api/v1/rollouts?fresh=%s", "/%s", "/api/v1/%s",
    };
    private static final String[] NASTY = {
        "", "-1", "0", "18446744073709551616", "99999999999999999999999999", "1e3", "0x10", " 1", "%20", "%00", "%ff%fe",
        "%", "%%", "%2e%2e%2f", "../../etc/passwd", "..", "null", "NaN", "true", "{}", "[]", "'", "\"", "<script>", "\\",
        "é", "日本", "\u0000", "%0d%0aX-Injected:%201", "AAAA", "djE6MTg0NDY3NDQwNzM3MDk1NTE2MTU", "v1:", "-9223372036854775808",
        "2026-13-45T99:99:99Z", "PT1H", "1700000000000", "99999999999999999", ";", "&", "=", "?", "#", "+", ",,,", "0,1,2,3,4,5,6,7",
    };

    private static RollcallApp app;
    private static final Map<Integer, Integer> STATUSES = new TreeMap<>();
    private static final List<String> FAILURES = new ArrayList<>();

    @BeforeAll
    static void sendHostileRequests() throws Exception {
        RollcallConfig config = Fixtures.uniqueConfig("hostile-http").with(Map.of("rollcall.api.token", TOKEN));
        KafkaCluster.get().createTopics(List.of(topic(config.eventsTopic(), 2),
                compacted(config.aggregatesTopic(), 2), topic(config.deadLetterTopic(), 2)));
        app = RollcallApp.start(config);
        assertThat(app.awaitRunning(Duration.ofSeconds(60))).isTrue();
        Random random = new Random(20261126);
        for (int i = 0; i < REQUESTS; i++) {
            byte[] request = hostileRequest(random);
            Response response = send(request);
            STATUSES.merge(response.status, 1, Integer::sum);
            boolean ok = response.status >= 200 && response.status < 500;
            boolean leaks = response.body.contains("Exception") || response.body.matches("(?s).*\\bat [a-z]+\\.[a-zA-Z.$]+\\(.*");
            if (!ok || leaks) {
                FAILURES.add(response.status + " for " + printable(request) + " -> " + abbreviate(response.body));
            }
        }
        System.out.printf("hostile HTTP: %,d requests, statuses %s%n", REQUESTS, STATUSES);
    }

    @AfterAll
    static void stop() {
        if (app != null) {
            app.close();
        }
    }

    @Test
    void noMalformedRequestGetsAFiveHundredAHangOrAStackTrace() {
        assertThat(FAILURES).as("5xx, hangs or stack traces").isEmpty();
    }

    @Test
    void malformedRequestsReachTheValidationAndGetAClearFourHundred() {
        assertThat(STATUSES.keySet()).as("the fuzzing reached the validation paths").contains(400, 404);
    }

    @Test
    void theAppStillServesNormallyAfterwards() throws Exception {
        assertThat(send(request("GET", "/health/ready", Map.of(), null)).status).isEqualTo(200);
    }

    private static byte[] hostileRequest(Random random) {
        String template = ENDPOINTS[random.nextInt(ENDPOINTS.length)];
        Object[] args = new Object[4];
        for (int i = 0; i < args.length; i++) {
            args[i] = nasty(random);
        }
        String path = String.format(template, args);
        int kind = random.nextInt(10);
        if (kind == 0) {
            path = path + "/" + "a".repeat(1 + random.nextInt(20_000)); // very long path
        }
        Map<String, String> headers = new TreeMap<>();
        if (random.nextInt(4) == 0) {
            headers.put("Authorization", random.nextBoolean() ? "Bearer " + TOKEN : "Bearer " + nasty(random));
        }
        if (kind == 1) {
            headers.put("X-Junk", "x".repeat(1 + random.nextInt(40_000))); // huge header
        }
        if (kind == 2) {
            headers.put("X-Rollcall-Forwarded-By", nasty(random)); // forged forwarding guard
        }
        String method = switch (random.nextInt(8)) {
            case 0 -> "PUT";
            case 1 -> "DELETE";
            case 2 -> "POST";
            case 3 -> "PATCH";
            case 4 -> "OPTIONS";
            case 5 -> "HEAD";
            default -> "GET";
        };
        byte[] body = null;
        if (method.equals("PUT") || method.equals("POST") || random.nextInt(10) == 0) {
            body = switch (random.nextInt(6)) {
                case 0 -> new byte[0];
                case 1 -> randomBytes(random, 1 + random.nextInt(2_000));
                case 2 -> ("{\"slos\": [" + "{\"kind\": \"LATENCY\"},".repeat(random.nextInt(50)) + "]}")
                        .getBytes(StandardCharsets.UTF_8);
                case 3 -> ("{\"baselineRevision\": \"" + nasty(random) + "\", \"canaryRevision\": " + nasty(random)
                        + ", \"slos\": [{\"kind\": \"ERROR_RATE\", \"threshold\": " + nasty(random) + "}]}")
                        .getBytes(StandardCharsets.UTF_8);
                case 4 -> "[".repeat(5_000).getBytes(StandardCharsets.UTF_8); // deep nesting
                default -> randomBytes(random, 70_000 + random.nextInt(100_000)); // over the body limit
            };
            if (random.nextBoolean()) {
                headers.put("Content-Type", "application/json");
            }
        }
        return request(method, path, headers, body);
    }

    private static String nasty(Random random) {
        return random.nextInt(5) == 0 ? Long.toUnsignedString(random.nextLong()) : NASTY[random.nextInt(NASTY.length)];
    }

    private static byte[] randomBytes(Random random, int n) {
        byte[] bytes = new byte[n];
        random.nextBytes(bytes);
        return bytes;
    }

    private static byte[] request(String method, String path, Map<String, String> headers, byte[] body) {
        StringBuilder head = new StringBuilder().append(method).append(' ').append(path).append(" HTTP/1.1\r\n")
                .append("Host: 127.0.0.1\r\nConnection: close\r\n");
        headers.forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
        if (body != null) {
            head.append("Content-Length: ").append(body.length).append("\r\n");
        }
        head.append("\r\n");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(head.toString().getBytes(StandardCharsets.UTF_8));
        if (body != null) {
            out.writeBytes(body);
        }
        return out.toByteArray();
    }

    private record Response(int status, String body) {
    }

    /** One request on a fresh connection; a missing or unreadable answer within 10 s counts as a failure (-1). */
    private static Response send(byte[] request) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", app.httpPort()), 2_000);
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            try {
                out.write(request);
                out.flush();
            } catch (IOException e) {
                // The server may refuse and close before reading everything (e.g. 413, 431); read its answer.
            }
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            try {
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    answer.write(buffer, 0, n);
                    if (complete(answer.toString(StandardCharsets.ISO_8859_1))) {
                        break; // framed by Content-Length: an HTTP client has its whole answer
                    }
                }
            } catch (SocketTimeoutException e) {
                return new Response(-1, "no complete answer within 10 s: " + answer.toString(StandardCharsets.UTF_8));
            } catch (IOException e) {
                if (answer.size() == 0) {
                    return new Response(-2, "connection failed: " + e);
                }
            }
            String text = answer.toString(StandardCharsets.UTF_8);
            if (!text.startsWith("HTTP/1.1 ")) {
                return new Response(-3, "not an HTTP answer: " + abbreviate(text));
            }
            int status = Integer.parseInt(text.substring(9, 12));
            int bodyStart = text.indexOf("\r\n\r\n");
            return new Response(status, bodyStart < 0 ? "" : text.substring(bodyStart + 4));
        }
    }

    /**
     * Whether the bytes hold a whole answer by HTTP/1.1 framing (head plus Content-Length bytes of body). The
     * request says {@code Connection: close}, and Jetty usually closes, but it may keep the connection open after
     * answering before it has read an unread request body; a client that reads by Content-Length is not left hanging.
     */
    private static boolean complete(String answer) {
        int headEnd = answer.indexOf("\r\n\r\n");
        if (headEnd < 0) {
            return false;
        }
        java.util.regex.Matcher length = java.util.regex.Pattern.compile("(?im)^content-length:\\s*(\\d+)\\s*$")
                .matcher(answer.substring(0, headEnd));
        return length.find() && answer.length() - (headEnd + 4) >= Long.parseLong(length.group(1));
    }

    private static String printable(byte[] request) {
        String text = new String(request, 0, Math.min(request.length, 300), StandardCharsets.UTF_8);
        return text.replace("\r\n", "⏎ ");
    }

    private static String abbreviate(String text) {
        return text.length() > 300 ? text.substring(0, 300) + "…" : text;
    }
}
