package io.rollcall.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;
import org.junit.jupiter.api.Test;

/** The serving jar (what the image ships) holds no broker, benchmark, load generator or demo. */
class ServingJarTest {

    private static final Path SERVING_JAR = Path.of("..", "topology", "target", "rollcall.jar");

    @Test
    void servingJarHoldsNoBrokerBenchmarkOrLoadGenerator() throws IOException {
        assertThat(SERVING_JAR).as("built by the topology module's package phase").exists();
        List<String> tools;
        try (JarFile jar = new JarFile(SERVING_JAR.toFile())) {
            tools = jar.stream().map(ZipEntry::getName)
                    .filter(name -> name.startsWith("kafka/server/") || name.startsWith("kafka/Kafka")
                            || name.startsWith("org/apache/kafka/metadata/storage/")
                            || name.startsWith("scala/")
                            || name.startsWith("io/rollcall/bench/") || name.startsWith("io/rollcall/load/")
                            || name.startsWith("io/rollcall/embedded/") || name.startsWith("io/rollcall/tools/"))
                    .limit(10)
                    .toList();
        }
        assertThat(tools).as("tool classes in %s (%,d bytes)", SERVING_JAR, Files.size(SERVING_JAR)).isEmpty();
    }
}
