package io.rollcall.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Key and trust stores (PKCS12) made with the JDK's keytool, for TLS tests. */
final class Certificates {

    private Certificates() {
    }

    /** A key pair with a self-signed certificate for {@code cn}, valid for localhost and 127.0.0.1. */
    static Path selfSigned(Path dir, String name, String cn, String password) throws Exception {
        Path keystore = dir.resolve(name + ".p12");
        keytool("-genkeypair", "-alias", name, "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
                "-dname", "CN=" + cn, "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-keystore", keystore.toString(),
                "-storetype", "PKCS12", "-storepass", password, "-keypass", password);
        return keystore;
    }

    /** A trust store holding the certificate of each key store made by {@link #selfSigned}. */
    static Path trusting(Path dir, String name, String password, Path... keystores) throws Exception {
        Path truststore = dir.resolve(name + ".p12");
        for (Path keystore : keystores) {
            String alias = keystore.getFileName().toString().replace(".p12", "");
            Path der = dir.resolve(alias + ".der");
            keytool("-exportcert", "-alias", alias, "-keystore", keystore.toString(), "-storepass", password,
                    "-file", der.toString());
            keytool("-importcert", "-noprompt", "-alias", alias, "-file", der.toString(),
                    "-keystore", truststore.toString(), "-storetype", "PKCS12", "-storepass", password);
        }
        return truststore;
    }

    private static void keytool(String... args) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
    }
}
