/**
 * State stores that keep values as objects between commits.
 *
 * <p>Kafka Streams' record cache holds values as bytes, so every event costs a decode on read
 * and an encode on write, and the cache's flush decodes each value once more to forward it.
 * The all-time store sits on top of Streams' own RocksDB store (changelogged, caching off) and
 * holds the values written since the last commit as the immutable values themselves; Streams
 * flushes them (encode once, write, log, forward) when the task commits, exactly as it flushes
 * its own cache, so exactly-once is unchanged. Interactive queries from other threads see the
 * newest values: the maps are concurrent and their values never change.
 *
 * <p>They extend three classes of Streams' internals, as the DSL's own caching layer does:
 * {@code WrappedStateStore} (so Streams sees the timestamped RocksDB store underneath and
 * restores it correctly, and calls {@code flushCache} before every commit), and the
 * timestamped store builder (so the changelog topic gets the same configs as the DSL's).
 * The store tests and every integration test run through them.
 */
package io.rollcall.store;
