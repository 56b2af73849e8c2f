package io.rollcall.query;

import io.rollcall.metrics.PipelineMetrics;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.transport.HttpClientTransportOverHTTP;
import org.eclipse.jetty.util.thread.Invocable;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.apache.kafka.streams.state.HostInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends a read to another instance with a bounded timeout. Forwarded requests carry
 * {@link #HEADER}; an instance receiving it answers from its own stores only, so a
 * request is forwarded at most once and can never loop between instances that disagree
 * about ownership during a rebalance.
 *
 * <p>Jetty's client rather than the JDK's: the same Jetty as the server, pooled keep-alive
 * connections per instance, and far less per-request overhead — the JDK client saturated
 * this 2-core machine below 2,000 forwarded reads/s (see BENCHMARKS.md).
 */
public final class Forwarder implements AutoCloseable {

    public static final String HEADER = "X-Rollcall-Forwarded-By";
    private static final Logger LOG = LoggerFactory.getLogger(Forwarder.class);
    private static final int MAX_CONNECTIONS_PER_INSTANCE = 64;

    /** An instance's answer: status and JSON body as it sent them. */
    public record Reply(int status, String body) {
    }

    private final HttpClient client;
    private final Duration timeout;
    private final String self;
    private final String scheme;
    private final PipelineMetrics metrics;

    /**
     * @param tls     when not null, instances are reached over HTTPS, trusting its trust store
     * @param metrics counts every forwarded read by outcome
     */
    public Forwarder(Duration timeout, String self, io.rollcall.config.RollcallConfig.Tls tls,
                     PipelineMetrics metrics) {
        this.timeout = timeout;
        this.metrics = metrics;
        this.self = self;
        this.scheme = tls == null ? "http://" : "https://";
        HttpClientTransportOverHTTP transport = new HttpClientTransportOverHTTP();
        // The only response listener is the blocking send's, which buffers a few hundred bytes and
        // completes a future: it never blocks, so the selector thread that read the answer runs it
        // instead of waking a pool thread to, one thread hand-off fewer on every forwarded read.
        transport.setInvocationType(Invocable.InvocationType.NON_BLOCKING);
        this.client = new HttpClient(transport);
        if (tls != null) {
            org.eclipse.jetty.util.ssl.SslContextFactory.Client ssl = new org.eclipse.jetty.util.ssl.SslContextFactory.Client();
            if (tls.truststore() != null) {
                ssl.setTrustStorePath(tls.truststore().toString());
                ssl.setTrustStorePassword(tls.truststorePassword());
                ssl.setTrustStoreType("PKCS12");
            }
            // Instances are addressed by the names they advertise; the certificate must carry them.
            ssl.setEndpointIdentificationAlgorithm("HTTPS");
            client.setSslContextFactory(ssl);
        }
        QueuedThreadPool threads = new QueuedThreadPool(32, 2);
        threads.setName("rollcall-forwarder");
        threads.setDaemon(true);
        client.setExecutor(threads);
        client.setConnectTimeout(timeout.toMillis());
        client.setMaxConnectionsPerDestination(MAX_CONNECTIONS_PER_INSTANCE);
        client.setFollowRedirects(false);
        try {
            client.start();
        } catch (Exception e) {
            throw new IllegalStateException("cannot start the HTTP client for forwarding", e);
        }
    }

    /** The instance's answer, or empty when it cannot be reached in time. */
    public Optional<Reply> get(HostInfo owner, String pathAndQuery) {
        String uri = scheme + owner.host() + ":" + owner.port() + pathAndQuery;
        try {
            ContentResponse response = client.newRequest(uri)
                    .timeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
                    .headers(headers -> headers.put(HEADER, self).put("Accept", "application/json"))
                    .send();
            metrics.forwarded(PipelineMetrics.Forwarded.of(response.getStatus()));
            return Optional.of(new Reply(response.getStatus(), response.getContentAsString()));
        } catch (TimeoutException | ExecutionException e) {
            LOG.debug("forward to {} failed: {}", uri, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        metrics.forwarded(PipelineMetrics.Forwarded.UNAVAILABLE);
        return Optional.empty();
    }

    @Override
    public void close() {
        try {
            client.stop();
        } catch (Exception e) {
            LOG.debug("closing the forwarding client: {}", e.toString());
        }
    }
}
