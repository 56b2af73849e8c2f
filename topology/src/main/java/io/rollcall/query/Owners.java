package io.rollcall.query;

import io.rollcall.schema.KeyPartitioner;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.IntFunction;
import java.util.function.LongSupplier;
import org.apache.kafka.streams.KeyQueryMetadata;

/**
 * Who holds each partition of the all-time store (active and standby hosts), remembered per
 * partition between rebalances.
 *
 * <p>Kafka Streams answers {@code queryMetadataForKey} under one lock for the whole instance.
 * Asked on every read, that lock serialised the HTTP threads; under a CPU limit a thread
 * descheduled while holding it left dozens queued, and their spinning took the CPU the stream
 * thread needed (JFR: 470 s of blocked time per 20 s across the request threads at 200 reads/s
 * on half a core, BENCHMARKS.md). Here Streams is asked once per partition: the partition of a
 * key is {@link KeyPartitioner}'s, as Streams computes it for the store's source topics, and
 * what Streams said is kept until {@link #changed} (every state change of the application, so
 * every rebalance) or for at most {@link #MAX_AGE_MS}.
 */
final class Owners {

    /** Longest a remembered owner is used without asking Streams again, in case a change went unseen. */
    static final long MAX_AGE_MS = 1_000;

    private record Known(KeyQueryMetadata owner, long askedAtMs) {
    }

    private final int partitions;
    private final IntFunction<Optional<KeyQueryMetadata>> ask;
    private final LongSupplier clockMs;
    private final AtomicReference<AtomicReferenceArray<Known>> current;

    /**
     * @param partitions partitions of the store's source topics
     * @param ask        Streams' answer for a key of the partition; empty while Streams knows no owner
     * @param clockMs    milliseconds, for the age of what is remembered
     */
    Owners(int partitions, IntFunction<Optional<KeyQueryMetadata>> ask, LongSupplier clockMs) {
        this.partitions = partitions;
        this.ask = ask;
        this.clockMs = clockMs;
        this.current = new AtomicReference<>(new AtomicReferenceArray<>(partitions));
    }

    /** The partition of a serialized key. */
    int partition(byte[] key) {
        return KeyPartitioner.partition(key, partitions);
    }

    /** Who holds {@code partition}; empty while Streams knows no owner (starting, rebalancing). */
    Optional<KeyQueryMetadata> of(int partition) {
        AtomicReferenceArray<Known> known = current.get();
        Known remembered = known.get(partition);
        long now = clockMs.getAsLong();
        if (remembered != null && now - remembered.askedAtMs() < MAX_AGE_MS) {
            return Optional.of(remembered.owner());
        }
        Optional<KeyQueryMetadata> owner = ask.apply(partition);
        // Kept only in the generation it was asked in: a change meanwhile starts a new, empty one.
        owner.ifPresent(found -> known.set(partition, new Known(found, now)));
        return owner;
    }

    /** Forgets every owner: the assignment may have changed. */
    void changed() {
        current.set(new AtomicReferenceArray<>(partitions));
    }
}
