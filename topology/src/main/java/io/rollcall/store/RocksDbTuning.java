package io.rollcall.store;

import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.streams.state.RocksDBConfigSetter;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.Cache;
import org.rocksdb.CompressionType;
import org.rocksdb.LRUCache;
import org.rocksdb.Options;
import org.rocksdb.WriteBufferManager;

/**
 * RocksDB settings of every rollcall store, sized from config (Kafka Streams'
 * "bounded memory" recipe). All stores of a JVM share one LRU block cache of
 * {@code rollcall.rocksdb.memory-mb}, and their memtables are charged to that same cache through
 * one write-buffer manager, so off-heap memory stays bounded however many stores, tasks and
 * window segments an instance hosts (without it each store and each window segment holds up to
 * three 16 MiB memtables and an unbounded share of index and filter blocks). Index and filter
 * blocks live in the cache with high priority. SST files are compressed
 * ({@code rollcall.rocksdb.compression}, LZ4 by default; Streams' default is none).
 *
 * <p>Streams creates one instance per store through reflection and passes the application's
 * configs, which carry the {@code rollcall.rocksdb.*} settings.
 */
public final class RocksDbTuning implements RocksDBConfigSetter {

    public static final String MEMORY_MB = "rollcall.rocksdb.memory-mb";
    public static final String WRITE_BUFFER_MB = "rollcall.rocksdb.write-buffer-mb";
    public static final String COMPRESSION = "rollcall.rocksdb.compression";

    /** Share of the cache reserved for index and filter blocks (high priority). */
    private static final double HIGH_PRIORITY_RATIO = 0.1;
    /** Memtables may use at most this share of the cache. */
    private static final double MEMTABLE_RATIO = 0.5;

    /** One cache and write-buffer manager per memory size, for the JVM's life: stores come and go, these stay. */
    private static final Map<Long, Shared> SHARED = new ConcurrentHashMap<>();

    private record Shared(Cache cache, WriteBufferManager writeBuffers) {
        static Shared of(long bytes) {
            Cache cache = new LRUCache(bytes, -1, false, HIGH_PRIORITY_RATIO);
            return new Shared(cache, new WriteBufferManager((long) (bytes * MEMTABLE_RATIO), cache));
        }
    }

    @Override
    public void setConfig(String storeName, Options options, Map<String, Object> configs) {
        long memory = megabytes(configs, MEMORY_MB, 256) << 20;
        long writeBuffer = megabytes(configs, WRITE_BUFFER_MB, 16) << 20;
        Shared shared = SHARED.computeIfAbsent(memory, Shared::of);

        // Streams hands over its own BlockBasedTableConfig (with its bloom filter); keep it.
        BlockBasedTableConfig table = options.tableFormatConfig() instanceof BlockBasedTableConfig given
                ? given : new BlockBasedTableConfig();
        table.setBlockCache(shared.cache());
        table.setCacheIndexAndFilterBlocks(true);
        table.setCacheIndexAndFilterBlocksWithHighPriority(true);
        table.setPinTopLevelIndexAndFilter(true);
        options.setTableFormatConfig(table);
        options.setWriteBufferManager(shared.writeBuffers());
        options.setWriteBufferSize(writeBuffer);
        options.setMaxWriteBufferNumber(2);
        options.setCompressionType(compression(String.valueOf(configs.getOrDefault(COMPRESSION, "lz4"))));
    }

    @Override
    public void close(String storeName, Options options) {
        // The cache and write-buffer manager are shared by every store: closing them here would
        // pull them from under the others. Options owns nothing else of ours.
    }

    /** The RocksDB compression for a setting value; {@link IllegalArgumentException} names the choices. */
    public static CompressionType compression(String value) {
        return switch (value.strip().toLowerCase(Locale.ROOT)) {
            case "none" -> CompressionType.NO_COMPRESSION;
            case "lz4" -> CompressionType.LZ4_COMPRESSION;
            case "zstd" -> CompressionType.ZSTD_COMPRESSION;
            case "snappy" -> CompressionType.SNAPPY_COMPRESSION;
            default -> throw new IllegalArgumentException(
                    COMPRESSION + ": must be none, lz4, zstd or snappy, got '" + value + "'");
        };
    }

    private static long megabytes(Map<String, Object> configs, String key, long fallback) {
        Object value = configs.get(key);
        return value == null ? fallback : Long.parseLong(value.toString().strip());
    }
}
