package io.rollcall.bench;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Queue;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.eclipse.jetty.client.BufferingResponseListener;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.Result;

/**
 * Reads random series at a fixed rate, each from a random instance among those it is told are
 * serving (as a load balancer sends only to ready instances), and keeps how every read ended.
 */
final class ReadProbe implements AutoCloseable {

    private static final int MAX_IN_FLIGHT = 64;
    private static final long TIMEOUT_SECONDS = 5;

    private final List<String> ids;
    private final int rate;
    private final HttpClient client = new HttpClient();
    private final Semaphore permits = new Semaphore(MAX_IN_FLIGHT);
    private final Queue<ReadTally.Read> reads = new ConcurrentLinkedQueue<>();
    private final SplittableRandom random = new SplittableRandom(11);
    private final Thread thread;
    private volatile List<Integer> ports = List.of();

    /** @param ids series ids as the API spells them, all with state */
    ReadProbe(List<String> ids, int rate) {
        this.ids = List.copyOf(ids);
        this.rate = rate;
        this.thread = new Thread(this::readAtRate, "bench-reader");
        this.thread.setDaemon(true);
    }

    void start() throws Exception {
        client.setMaxConnectionsPerDestination(MAX_IN_FLIGHT);
        client.setConnectTimeout(2_000);
        client.start();
        thread.start();
    }

    /** From now on reads go to these instances only; none while the collection is empty. */
    void serving(Collection<ServeProcess> instances) {
        ports = instances.stream().map(ServeProcess::port).toList();
    }

    /** The reads that ended since the last call. */
    List<ReadTally.Read> drain() {
        List<ReadTally.Read> out = new ArrayList<>();
        for (ReadTally.Read read = reads.poll(); read != null; read = reads.poll()) {
            out.add(read);
        }
        return out;
    }

    private void readAtRate() {
        long interval = TimeUnit.SECONDS.toNanos(1) / rate;
        long due = System.nanoTime();
        while (!Thread.currentThread().isInterrupted()) {
            due += interval;
            LockSupport.parkNanos(due - System.nanoTime());
            List<Integer> targets = ports;
            if (targets.isEmpty()) {
                continue;
            }
            try {
                permits.acquire();
            } catch (InterruptedException e) {
                return;
            }
            int port = targets.get(random.nextInt(targets.size()));
            String id = ids.get(random.nextInt(ids.size()));
            long sent = System.nanoTime();
            client.newRequest("http://127.0.0.1:" + port + "/api/v1/metrics/" + id)
                    .timeout(TIMEOUT_SECONDS, TimeUnit.SECONDS)
                    .send(new BufferingResponseListener() {
                        @Override
                        public void onComplete(Result result) {
                            permits.release();
                            reads.add(classify(sent, result, getContentAsString()));
                        }
                    });
        }
    }

    private static ReadTally.Read classify(long sent, Result result, String body) {
        if (result.isFailed()) {
            return new ReadTally.Read(sent, ReadTally.Kind.NO_ANSWER, result.getFailure().getClass().getSimpleName());
        }
        int status = result.getResponse().getStatus();
        if (status == 200) {
            return new ReadTally.Read(sent, body.contains("\"stale\":true") ? ReadTally.Kind.STALE
                    : ReadTally.Kind.FRESH, null);
        }
        if (status == 503 && result.getResponse().getHeaders().get("Retry-After") != null) {
            return new ReadTally.Read(sent, ReadTally.Kind.RETRY_LATER, null);
        }
        return new ReadTally.Read(sent, ReadTally.Kind.OTHER,
                status + " " + ReadTally.abbreviate(body == null ? "" : body));
    }

    @Override
    public void close() throws Exception {
        thread.interrupt();
        thread.join(5_000);
        client.stop();
    }
}
