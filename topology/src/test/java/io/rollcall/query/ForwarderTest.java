package io.rollcall.query;

import static org.assertj.core.api.Assertions.assertThat;

import io.javalin.Javalin;
import io.rollcall.metrics.PipelineMetrics;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.streams.state.HostInfo;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Forwarding to a real local HTTP server standing in for the owning instance. */
class ForwarderTest {

    private static final String SELF = "10.0.0.1:8080";
    /** Generous: a first request on a busy machine can take seconds to connect. */
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    /** Holds the slow route's answer until the test is over. */
    private final CountDownLatch released = new CountDownLatch(1);
    private Javalin owner;
    private HostInfo ownerHost;
    private Forwarder forwarder;

    @BeforeEach
    void start() {
        owner = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.routes.get("/api/v1/metrics/{id}", ctx -> ctx.status(404).contentType("application/json")
                    .result("{\"status\":404,\"error\":\"series " + ctx.pathParam("id") + " not found\"}"));
            config.routes.get("/echo", ctx -> ctx.result(ctx.path() + "?" + ctx.queryString()));
            config.routes.get("/forwarded-by", ctx -> ctx.result(String.valueOf(ctx.header(Forwarder.HEADER))));
            config.routes.get("/moved", ctx -> ctx.status(302).header("Location", "/echo?moved=true"));
            config.routes.get("/slow", ctx -> {
                released.await(30, TimeUnit.SECONDS);
                ctx.result("late");
            });
        }).start("127.0.0.1", 0);
        ownerHost = new HostInfo("127.0.0.1", owner.port());
        forwarder = new Forwarder(TIMEOUT, SELF, null, PipelineMetrics.unregistered());
    }

    @AfterEach
    void stop() {
        released.countDown();
        forwarder.close();
        owner.stop();
    }

    @Test
    void theOwnersStatusAndBodyArePassedOnAsTheySentThem() {
        assertThat(forwarder.get(ownerHost, "/api/v1/metrics/42")).contains(
                new Forwarder.Reply(404, "{\"status\":404,\"error\":\"series 42 not found\"}"));
    }

    @Test
    void thePathAndQueryReachTheOwnerUnchanged() {
        assertThat(forwarder.get(ownerHost, "/echo?fresh=true&standby=1"))
                .map(Forwarder.Reply::body).contains("/echo?fresh=true&standby=1");
    }

    @Test
    void aForwardedRequestNamesTheInstanceThatForwardedIt() {
        assertThat(forwarder.get(ownerHost, "/forwarded-by")).map(Forwarder.Reply::body).contains(SELF);
    }

    @Test
    void aRedirectIsPassedOnNotFollowed() {
        assertThat(forwarder.get(ownerHost, "/moved")).map(Forwarder.Reply::status).contains(302);
    }

    @Test
    void anInstanceThatCannotBeReachedGivesNoReply() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        assertThat(forwarder.get(new HostInfo("127.0.0.1", closedPort), "/echo")).isEmpty();
    }

    @Test
    void anInstanceThatDoesNotAnswerInTimeGivesNoReply() {
        try (Forwarder impatient = new Forwarder(Duration.ofMillis(200), SELF, null, PipelineMetrics.unregistered())) {
            assertThat(impatient.get(ownerHost, "/slow")).isEmpty();
        }
    }
}
