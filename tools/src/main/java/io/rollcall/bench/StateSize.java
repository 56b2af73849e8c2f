package io.rollcall.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.CompressionType;
import org.rocksdb.DBOptions;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;

/**
 * Bytes of state in a closed Streams state directory, measured steadily: the size of the
 * directory right after close depends on how far RocksDB's background compaction got (the same
 * run gave 803 to 1,664 bytes per id), so every RocksDB instance in it (each store, each
 * window segment) is opened and fully compacted first, and only its SST files are counted.
 */
final class StateSize {

    private StateSize() {
    }

    /** SST bytes of every RocksDB under {@code stateDir} after a full compaction with {@code compression}. */
    static long compactedSstBytes(Path stateDir, CompressionType compression) throws IOException {
        RocksDB.loadLibrary();
        List<Path> databases;
        try (Stream<Path> files = Files.walk(stateDir)) {
            databases = files.filter(file -> file.getFileName().toString().equals("CURRENT")).map(Path::getParent).toList();
        }
        long bytes = 0;
        for (Path db : databases) {
            compact(db, compression);
            try (Stream<Path> files = Files.list(db)) {
                bytes += files.filter(file -> file.toString().endsWith(".sst")).mapToLong(file -> file.toFile().length()).sum();
            }
        }
        return bytes;
    }

    private static void compact(Path db, CompressionType compression) throws IOException {
        try (Options listing = new Options();
             ColumnFamilyOptions family = new ColumnFamilyOptions().setCompressionType(compression);
             DBOptions options = new DBOptions()) {
            List<ColumnFamilyDescriptor> descriptors = new ArrayList<>();
            for (byte[] name : RocksDB.listColumnFamilies(listing, db.toString())) {
                descriptors.add(new ColumnFamilyDescriptor(name, family));
            }
            List<ColumnFamilyHandle> handles = new ArrayList<>();
            try (RocksDB rocks = RocksDB.open(options, db.toString(), descriptors, handles)) {
                for (ColumnFamilyHandle handle : handles) {
                    rocks.compactRange(handle);
                }
                handles.forEach(ColumnFamilyHandle::close);
            }
        } catch (RocksDBException e) {
            throw new IOException("cannot compact " + db + ": " + e.getMessage(), e);
        }
    }
}
