package io.rollcall.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The image's build stage runs Maven on the whole reactor ({@code -pl topology -am}), which
 * reads every module's pom: a module the Dockerfile does not copy fails the image build.
 */
class DockerfileTest {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Pattern MODULE = Pattern.compile("<module>([^<]+)</module>");

    @Test
    void theBuildStageCopiesThePomOfEveryModule() throws IOException {
        String dockerfile = Files.readString(ROOT.resolve("Dockerfile"));

        assertThat(modules(ROOT)).isNotEmpty().allSatisfy(module -> assertThat(
                dockerfile.contains("COPY " + module + "/pom.xml " + module + "/pom.xml")
                        || dockerfile.contains("COPY " + module + "/ " + module + "/"))
                .as("the Dockerfile copies %s/pom.xml (or the whole module)", module).isTrue());
    }

    /** Every module of the reactor, nested ones included, relative to the root. */
    private static List<String> modules(Path root) throws IOException {
        List<String> modules = new ArrayList<>();
        Matcher matcher = MODULE.matcher(Files.readString(root.resolve("pom.xml")));
        while (matcher.find()) {
            String module = matcher.group(1).trim();
            modules.add(module);
            modules.addAll(modules(root.resolve(module)).stream().map(nested -> module + "/" + nested).toList());
        }
        return modules;
    }
}
