package io.rollcall.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.rollcall.app.StreamsSettings;
import io.rollcall.config.RollcallConfig;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.CompressionType;
import org.rocksdb.FlushOptions;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;

class RocksDbTuningTest {

    @TempDir
    Path dir;

    @Test
    void streamsGetsTheSetterAndItsSizesFromConfigUnlessTheUserAsksForStreamsDefaults() {
        Properties tuned = StreamsSettings.of(RollcallConfig.of(Map.of("rollcall.rocksdb.memory-mb", "128")));
        assertThat(tuned.get(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG)).isEqualTo(RocksDbTuning.class.getName());
        assertThat(tuned.get(RocksDbTuning.MEMORY_MB)).isEqualTo("128");
        Properties plain = StreamsSettings.of(RollcallConfig.of(Map.of("rollcall.rocksdb.tuning", "streams-default")));
        assertThat(plain).doesNotContainKey(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG);
    }

    @Test
    void storesShareOneBoundedCacheThatChargesMemtablesAndWriteCompressedFiles() throws Exception {
        RocksDB.loadLibrary();
        Map<String, Object> configs = new HashMap<>();
        StreamsSettings.of(RollcallConfig.of(Map.of("rollcall.rocksdb.memory-mb", "64",
                "rollcall.rocksdb.write-buffer-mb", "4"))).forEach((k, v) -> configs.put(k.toString(), v));
        RocksDbTuning setter = new RocksDbTuning();
        try (Options one = new Options().setCreateIfMissing(true); Options two = new Options()) {
            setter.setConfig("a", one, configs);
            setter.setConfig("b", two, configs);
            assertThat(one.compressionType()).isEqualTo(CompressionType.LZ4_COMPRESSION);
            assertThat(one.writeBufferSize()).isEqualTo(4L << 20);
            assertThat(one.maxWriteBufferNumber()).isEqualTo(2);
            assertThat(((BlockBasedTableConfig) one.tableFormatConfig()).cacheIndexAndFilterBlocks()).isTrue();
            // A real store under these options: writes land in memtables charged to the shared
            // cache, and flushed files are LZ4-compressed (far smaller than the raw values).
            try (RocksDB db = RocksDB.open(one, dir.toString()); FlushOptions flush = new FlushOptions().setWaitForFlush(true)) {
                byte[] value = new byte[1000]; // compressible, like encoded sketches with empty bins
                for (int i = 0; i < 10_000; i++) {
                    db.put(("series-" + i).getBytes(), value);
                }
                db.flush(flush);
                long sst = Long.parseLong(db.getProperty("rocksdb.total-sst-files-size"));
                assertThat(sst).isPositive().isLessThan(10_000L * 1000 / 5);
            }
            setter.close("a", one);
            setter.close("b", two);
        }
    }
}
