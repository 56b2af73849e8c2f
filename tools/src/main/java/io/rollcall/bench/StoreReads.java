package io.rollcall.bench;

import java.util.function.Supplier;
import org.apache.kafka.streams.errors.InvalidStateStoreException;

/** Reads of a Streams store that may still be opening or moving: tried again for up to ten seconds. */
final class StoreReads {

    private StoreReads() {
    }

    static <T> T once(Supplier<T> read) throws InterruptedException {
        for (int attempt = 0; ; attempt++) {
            try {
                return read.get();
            } catch (InvalidStateStoreException e) {
                if (attempt == 100) {
                    throw e;
                }
                Thread.sleep(100);
            }
        }
    }
}
