package io.rollcall.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Java21Test {

    @TempDir
    Path jvms;

    @Test
    void picksTheNewestRuntimeUnderTheJvmDirectoryWhenNoHomeQualifies() throws IOException {
        Path running = home("java-17", "17.0.15");
        home("java-21", "21.0.8");
        Path newest = home("temurin-25", "25.0.3");

        assertThat(Java21.find(null, running.toString(), running, jvms)).isEqualTo(java(newest));
    }

    @Test
    void prefersJavaHomeWhenItIs21OrNewer() throws IOException {
        Path javaHome = home("java-21", "21.0.8");
        home("temurin-25", "25.0.3");

        assertThat(Java21.find("", javaHome.toString(), home("java-17", "17.0.15"), jvms)).isEqualTo(java(javaHome));
    }

    @Test
    void ignoresHomesOlderThan21EvenInTheOldVersionScheme() throws IOException {
        Path running = home("java-8", "1.8.0_452");
        home("java-17", "17.0.15");

        assertThatThrownBy(() -> Java21.find(null, null, running, jvms))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(Java21.HOME_VARIABLE)
                .hasMessageContaining(jvms.toString());
    }

    @Test
    void aNamedHomeOlderThan21IsAnErrorRatherThanSkipped() throws IOException {
        Path named = home("java-17", "17.0.15");
        home("temurin-25", "25.0.3");

        assertThatThrownBy(() -> Java21.find(named.toString(), null, named, jvms))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(Java21.HOME_VARIABLE + "=" + named);
    }

    @Test
    void skipsAHomeWithoutAJavaExecutable() throws IOException {
        Path running = home("java-17", "17.0.15");
        Path broken = jvms.resolve("jre-25");
        Files.createDirectories(broken);
        Files.writeString(broken.resolve("release"), "JAVA_VERSION=\"25.0.3\"\n");
        Path working = home("java-21", "21.0.8");

        assertThat(Java21.find(null, null, running, jvms)).isEqualTo(java(working));
    }

    private Path home(String name, String version) throws IOException {
        Path home = jvms.resolve(name);
        Files.createDirectories(home.resolve("bin"));
        Files.writeString(home.resolve("release"), "IMPLEMENTOR=\"test\"\nJAVA_VERSION=\"" + version + "\"\n");
        Files.createFile(home.resolve("bin").resolve("java"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        return home;
    }

    private static Path java(Path home) {
        return home.resolve("bin").resolve("java");
    }
}
