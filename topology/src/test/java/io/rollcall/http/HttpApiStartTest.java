package io.rollcall.http;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.rollcall.query.Json;
import io.rollcall.config.ConfigException;
import io.rollcall.config.RollcallConfig;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Start-up failures an operator can fix are one message naming the setting, not a Jetty stack trace. */
class HttpApiStartTest {

    @TempDir
    Path dir;

    private static PrometheusMeterRegistry registry() {
        return new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    }

    @Test
    void aTakenPortNamesTheSetting() throws Exception {
        try (ServerSocket taken = new ServerSocket(0)) {
            assertThatThrownBy(() -> HttpApi.start("127.0.0.1", taken.getLocalPort(), registry(), Json.mapper(), null, null))
                    .isInstanceOf(ConfigException.class)
                    .hasMessageStartingWith("rollcall.http.port: cannot listen on 127.0.0.1:" + taken.getLocalPort());
        }
    }

    @Test
    void aWrongKeystorePasswordNamesTheSetting() throws Exception {
        Path keystore = dir.resolve("instance.p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "rollcall", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
                "-dname", "CN=localhost", "-keystore", keystore.toString(), "-storetype", "PKCS12",
                "-storepass", "right-password", "-keypass", "right-password").redirectErrorStream(true).start();
        keytool.getInputStream().readAllBytes();
        keytool.waitFor(60, TimeUnit.SECONDS);
        RollcallConfig.Tls tls = new RollcallConfig.Tls(keystore, "wrong-password", null, null);
        assertThatThrownBy(() -> HttpApi.start("127.0.0.1", 0, registry(), Json.mapper(), null, tls))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("rollcall.http.tls.keystore: cannot load " + keystore)
                .hasMessageContaining("rollcall.http.tls.keystore-password");
    }
}
