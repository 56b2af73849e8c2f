package io.rollcall.it;

import static io.rollcall.it.KafkaCluster.compacted;
import static io.rollcall.it.KafkaCluster.topic;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rollcall.app.RollcallApp;
import io.rollcall.config.RollcallConfig;
import io.rollcall.schema.SeriesId;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;

/**
 * The HTTP port over TLS: two instances with a certificate made by keytool for this test
 * serve HTTPS only, and forward to each other over HTTPS, checking each other's name.
 */
class TlsIT {

    private static final String PASSWORD = "changeit-tls-it";
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void instancesServeAndForwardOverHttpsOnly() throws Exception {
        Path dir = Files.createTempDirectory("rollcall-tls");
        Path keystore = Certificates.selfSigned(dir, "instance", "localhost", PASSWORD);
        Path truststore = Certificates.trusting(dir, "trust", PASSWORD, keystore);

        RollcallConfig base = Fixtures.uniqueConfig("tls").with(Map.of(
                "rollcall.http.advertised-host", "localhost",
                "rollcall.http.tls.keystore", keystore.toString(),
                "rollcall.http.tls.keystore-password", PASSWORD,
                "rollcall.http.tls.truststore", truststore.toString(),
                "rollcall.http.tls.truststore-password", PASSWORD,
                "num.stream.threads", "1"));
        KafkaCluster.get().createTopics(List.of(topic(base.eventsTopic(), 4),
                compacted(base.aggregatesTopic(), 4), topic(base.deadLetterTopic(), 4)));
        RollcallConfig second = base.with(Map.of("rollcall.state.dir",
                Files.createTempDirectory("rollcall-tls-b").toString()));

        HttpClient https = HttpClient.newBuilder().sslContext(trusting(truststore)).build();
        try (RollcallApp a = RollcallApp.start(base); RollcallApp b = RollcallApp.start(second)) {
            assertThat(a.awaitRunning(Duration.ofSeconds(60))).isTrue();
            assertThat(b.awaitRunning(Duration.ofSeconds(60))).isTrue();
            GroundTruth truth = GroundTruth.produce(base, 2_000, 200, 9);
            Fixtures.awaitCommitted(base, 2_000, Duration.ofMinutes(1));
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                Set<String> servedBy = new TreeSet<>();
                for (long id : truth.byId().keySet()) {
                    HttpResponse<String> response = https.send(HttpRequest.newBuilder(URI.create(
                            "https://localhost:" + a.httpPort() + "/api/v1/metrics/" + SeriesId.of(id))).build(),
                            HttpResponse.BodyHandlers.ofString());
                    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
                    JsonNode body = JSON.readTree(response.body());
                    assertThat(body.get("count").asLong()).isEqualTo(truth.byId().get(id).count);
                    servedBy.add(body.get("servedBy").asText());
                }
                assertThat(servedBy).as("answered by both instances, over HTTPS between them")
                        .containsExactlyInAnyOrder(a.instance(), b.instance());
            });

            // Plain HTTP on the same port gets no answer it could use.
            HttpClient plain = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
            HttpResponse<String> cleartext = null;
            try {
                cleartext = plain.send(HttpRequest.newBuilder(URI.create("http://localhost:" + a.httpPort() + "/health/ready"))
                        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
            } catch (java.io.IOException expected) {
                // connection closed by the TLS connector
            }
            if (cleartext != null) {
                assertThat(cleartext.statusCode()).isGreaterThanOrEqualTo(400);
            }
            // A client that does not trust the certificate is refused.
            assertThatThrownBy(() -> HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("https://localhost:" + a.httpPort() + "/health/ready")).build(),
                    HttpResponse.BodyHandlers.ofString())).isInstanceOf(javax.net.ssl.SSLHandshakeException.class);
        }
    }

    private static SSLContext trusting(Path truststore) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(truststore)) {
            store.load(in, PASSWORD.toCharArray());
        }
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(store);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        return context;
    }
}
