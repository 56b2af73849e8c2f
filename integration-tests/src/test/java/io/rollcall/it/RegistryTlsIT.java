package io.rollcall.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rollcall.config.RollcallConfig;
import io.rollcall.registry.RegistryClient;
import io.rollcall.schema.avro.MetricEvent;
import io.rollcall.schema.registry.RegistryUnavailableException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** A registry behind https with a certificate of its own: trusted through schema.registry.ssl.truststore.*, and only then. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RegistryTlsIT {

    private static final String PASSWORD = "registry-store";

    private SchemaRegistry registry;
    private Path truststore;
    private int id;

    @BeforeAll
    void startARegistryWithItsOwnCertificate() throws Exception {
        Path dir = Files.createTempDirectory("registry-tls");
        Path keystore = Certificates.selfSigned(dir, "registry", "127.0.0.1", PASSWORD);
        truststore = Certificates.trusting(dir, "trust", PASSWORD, keystore);
        registry = SchemaRegistry.start(keystore, PASSWORD);
        id = registry.register("tls-value", MetricEvent.getClassSchema());
    }

    @AfterAll
    void stop() {
        if (registry != null) {
            registry.close();
        }
    }

    @Test
    void readsASchemaOverHttpsTrustingTheConfiguredTrustStore() {
        RegistryClient client = RegistryClient.of(RollcallConfig.of(Map.of(
                "schema.registry.url", registry.httpsUrl(),
                "schema.registry.ssl.truststore.location", truststore.toString(),
                "schema.registry.ssl.truststore.password", PASSWORD)).registry());

        assertThat(client.byId(id)).isEqualTo(MetricEvent.getClassSchema());
    }

    @Test
    void aRegistryWhoseCertificateIsNotTrustedCannotBeAsked() {
        RegistryClient client = RegistryClient.of(RollcallConfig.of(Map.of(
                "schema.registry.url", registry.httpsUrl())).registry());

        assertThatThrownBy(() -> client.byId(id)).isInstanceOf(RegistryUnavailableException.class)
                .hasMessageContaining("127.0.0.1");
    }
}
