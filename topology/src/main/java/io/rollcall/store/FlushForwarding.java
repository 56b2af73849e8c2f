package io.rollcall.store;

import java.util.function.Function;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.internals.InternalProcessorContext;
import org.apache.kafka.streams.processor.internals.ProcessorNode;
import org.apache.kafka.streams.state.TimestampedKeyValueStore;
import org.apache.kafka.streams.state.internals.CachedStateStore;

/**
 * Forwards what a caching store flushes downstream of the processor that owns it, as the DSL's
 * aggregations forward their cache flushes: each changed value once per commit.
 */
public final class FlushForwarding {

    private FlushForwarding() {
    }

    /**
     * From now on, {@code published} of every value {@code store} flushes is forwarded by
     * {@code context}'s processor.
     *
     * @throws IllegalStateException when the store is not a caching store ({@link CachedStores})
     */
    @SuppressWarnings("unchecked")
    public static <V, O> void forwardFlushes(ProcessorContext<byte[], O> context,
                                             TimestampedKeyValueStore<byte[], V> store, Function<V, O> published) {
        if (!(store instanceof CachedStateStore<?, ?> cached)) {
            throw new IllegalStateException("store " + store.name() + " does not cache, so it has no flushes to forward");
        }
        // Forwarding from a store flush, outside process(), needs the node set as the DSL's own
        // cache flush listener sets it (TimestampedCacheFlushListener).
        InternalProcessorContext<byte[], O> internal = (InternalProcessorContext<byte[], O>) context;
        ProcessorNode<?, ?, ?, ?> self = internal.currentNode();
        boolean listening = ((CachedStateStore<byte[], V>) cached).setFlushListener(record -> {
            ProcessorNode<?, ?, ?, ?> previous = internal.currentNode();
            internal.setCurrentNode(self);
            try {
                context.forward(record.withValue(published.apply(record.value().newValue)));
            } finally {
                internal.setCurrentNode(previous);
            }
        }, false);
        if (!listening) {
            throw new IllegalStateException("store " + store.name() + " does not forward its flushes");
        }
    }
}
