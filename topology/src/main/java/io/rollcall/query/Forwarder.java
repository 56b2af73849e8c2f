package io.rollcall.query;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import org.apache.kafka.streams.state.HostInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends a read to another instance with a bounded timeout. Forwarded requests carry
 * {@link #HEADER}; an instance receiving it answers from its own stores only, so a
 * request is forwarded at most once and can never loop between instances that disagree
 * about ownership during a rebalance.
 */
public final class Forwarder {

    public static final String HEADER = "X-Rollcall-Forwarded-By";
    private static final Logger LOG = LoggerFactory.getLogger(Forwarder.class);

    private final HttpClient client;
    private final Duration timeout;
    private final String self;

    public Forwarder(Duration timeout, String self) {
        this.timeout = timeout;
        this.self = self;
        this.client = HttpClient.newBuilder()
                .connectTimeout(timeout)
                .version(HttpClient.Version.HTTP_1_1)
                .build();
    }

    /** The owner's answer, or empty when it cannot be reached in time. */
    public Optional<HttpResponse<String>> get(HostInfo owner, String pathAndQuery) {
        URI uri = URI.create("http://" + owner.host() + ":" + owner.port() + pathAndQuery);
        HttpRequest request = HttpRequest.newBuilder(uri)
                .timeout(timeout)
                .header(HEADER, self)
                .header("Accept", "application/json")
                .GET()
                .build();
        try {
            return Optional.of(client.send(request, HttpResponse.BodyHandlers.ofString()));
        } catch (IOException e) {
            LOG.debug("forward to {} failed: {}", uri, e.toString());
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }
}
