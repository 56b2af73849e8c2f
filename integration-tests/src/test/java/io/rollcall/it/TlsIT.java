package io.rollcall.it;

import static io.rollcall.it.KafkaCluster.compacted;
import static io.rollcall.it.KafkaCluster.topic;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The HTTP port over TLS: two instances with a certificate made by keytool for this test
 * serve HTTPS only, and forward to each other over HTTPS, checking each other's name.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TlsIT {

    private static final String PASSWORD = "changeit-tls-it";
    private static final ObjectMapper JSON = new ObjectMapper();

    private RollcallApp a;
    private RollcallApp b;
    private GroundTruth truth;
    private HttpClient https;

    @BeforeAll
    void startTwoInstancesOverHttps() throws Exception {
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
        https = HttpClient.newBuilder().sslContext(trusting(truststore)).build();
        a = RollcallApp.start(base);
        b = RollcallApp.start(second);
        assertThat(a.awaitRunning(Duration.ofSeconds(60))).isTrue();
        assertThat(b.awaitRunning(Duration.ofSeconds(60))).isTrue();
        truth = GroundTruth.produce(base, 2_000, 200, 9);
        Fixtures.awaitCommitted(base, 2_000, Duration.ofMinutes(1));
    }

    @AfterAll
    void stop() {
        for (RollcallApp app : new RollcallApp[] {a, b}) {
            if (app != null) {
                app.close();
            }
        }
    }

    @Test
    void everyIdIsAnsweredOverHttpsWithItsCount() {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            for (long id : truth.byId().keySet()) {
                JsonNode body = metricOverHttps(id);
                assertThat(body.get("count").asLong()).isEqualTo(truth.byId().get(id).count);
            }
        });
    }

    @Test
    void instancesForwardToEachOtherOverHttps() {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            Set<String> servedBy = new TreeSet<>();
            for (long id : truth.byId().keySet()) {
                servedBy.add(metricOverHttps(id).get("servedBy").asText());
            }
            assertThat(servedBy).as("answered by both instances, over HTTPS between them")
                    .containsExactlyInAnyOrder(a.instance(), b.instance());
        });
    }

    @Test
    void plainHttpOnTheSamePortGetsNoAnswerItCouldUse() throws Exception {
        HttpClient plain = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + a.httpPort() + "/health/ready"))
                .timeout(Duration.ofSeconds(5)).build();
        try {
            HttpResponse<String> cleartext = plain.send(request, HttpResponse.BodyHandlers.ofString());
            assertThat(cleartext.statusCode()).isGreaterThanOrEqualTo(400);
        } catch (java.io.IOException expected) {
            // connection closed by the TLS connector
        }
    }

    @Test
    void aClientThatDoesNotTrustTheCertificateIsRefused() {
        assertThatThrownBy(() -> HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("https://localhost:" + a.httpPort() + "/health/ready")).build(),
                HttpResponse.BodyHandlers.ofString())).isInstanceOf(javax.net.ssl.SSLHandshakeException.class);
    }

    private JsonNode metricOverHttps(long id) throws Exception {
        HttpResponse<String> response = https.send(HttpRequest.newBuilder(URI.create(
                "https://localhost:" + a.httpPort() + "/api/v1/metrics/" + SeriesId.of(id))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
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
