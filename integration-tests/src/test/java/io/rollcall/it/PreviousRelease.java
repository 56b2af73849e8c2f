package io.rollcall.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * The previous release of rollcall, as the {@code previous-release} module lays it out: its
 * own jars and its dependencies in {@code previous-release/target/lib}. Runs as a JVM of its
 * own ({@link #program()}), and its Avro readers load in a class loader of their own, so
 * the test reads output the way that release's consumers do.
 */
final class PreviousRelease {

    static final Path LIB = Path.of("previous-release", "target", "lib").toAbsolutePath().normalize();
    private static final String MAIN = "io.rollcall.cli.Rollcall";

    private PreviousRelease() {
    }

    /** Java's arguments that run the previous release's {@code rollcall}. */
    static List<String> program() {
        return List.of("-cp", jars().map(Path::toString).reduce((a, b) -> a + java.io.File.pathSeparator + b)
                .orElseThrow(), MAIN);
    }

    /** The release's version, from its topology jar's name. */
    static String version() {
        return jars().map(jar -> jar.getFileName().toString())
                .filter(name -> name.startsWith("rollcall-topology-"))
                .map(name -> name.substring("rollcall-topology-".length(), name.length() - ".jar".length()))
                .findFirst().orElseThrow();
    }

    /**
     * The previous release's reader of one output format ({@code metricAggregate},
     * {@code rolloutVerdict}, … of its {@code AvroSerde}): value bytes in, the fields of the
     * record it decodes them to out (see {@link #fields}). Throws what that release throws for
     * bytes it cannot read.
     */
    static Function<byte[], Map<String, String>> reader(String serdeFactory) {
        try {
            URLClassLoader loader = new URLClassLoader(jars().map(PreviousRelease::url).toArray(URL[]::new),
                    ClassLoader.getPlatformClassLoader());
            Object serde = Class.forName("io.rollcall.schema.AvroSerde", true, loader)
                    .getMethod(serdeFactory).invoke(null);
            Method deserialize = serde.getClass().getMethod("deserialize", byte[].class);
            return bytes -> {
                try {
                    return fields(deserialize.invoke(serde, (Object) bytes));
                } catch (InvocationTargetException e) {
                    throw new IllegalStateException("the previous release cannot read this value", e.getCause());
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException(e);
                }
            };
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("no reader " + serdeFactory + " in the previous release", e);
        }
    }

    /**
     * An Avro record's fields by name, each value as text (bytes in hex, maps sorted by key), so
     * records of two releases' classes compare field by field.
     */
    static Map<String, String> fields(Object record) {
        try {
            // Through Avro's public types: a schema's runtime class is not public.
            ClassLoader avro = record.getClass().getClassLoader();
            Class<?> schemaType = Class.forName("org.apache.avro.Schema", false, avro);
            Class<?> fieldType = Class.forName("org.apache.avro.Schema$Field", false, avro);
            Object schema = record.getClass().getMethod("getSchema").invoke(record);
            Method get = record.getClass().getMethod("get", String.class);
            Map<String, String> fields = new TreeMap<>();
            for (Object field : (List<?>) schemaType.getMethod("getFields").invoke(schema)) {
                String name = (String) fieldType.getMethod("name").invoke(field);
                fields.put(name, text(get.invoke(record, name)));
            }
            return fields;
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("not an Avro record: " + record, e);
        }
    }

    private static String text(Object value) {
        if (value instanceof ByteBuffer bytes) {
            ByteBuffer copy = bytes.duplicate();
            byte[] content = new byte[copy.remaining()];
            copy.get(content);
            return HexFormat.of().formatHex(content);
        }
        if (value instanceof Map<?, ?> map) {
            Map<String, String> sorted = new TreeMap<>();
            map.forEach((key, entry) -> sorted.put(String.valueOf(key), text(entry)));
            return sorted.toString();
        }
        if (value instanceof List<?> list) {
            return list.stream().map(PreviousRelease::text).toList().toString();
        }
        return String.valueOf(value);
    }

    private static Stream<Path> jars() {
        if (!Files.isDirectory(LIB)) {
            throw new IllegalStateException(LIB + " is missing: the previous-release module builds it "
                    + "(./mvnw -pl integration-tests -am verify)");
        }
        try (Stream<Path> files = Files.list(LIB)) {
            return files.filter(file -> file.toString().endsWith(".jar")).sorted().toList().stream();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static URL url(Path jar) {
        try {
            return jar.toUri().toURL();
        } catch (MalformedURLException e) {
            throw new UncheckedIOException(e);
        }
    }
}
