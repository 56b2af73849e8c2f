package io.rollcall.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The build's import rules, checked on the compiled classes (so fully qualified names count too):
 * Kafka Streams internals stay in one package, and the layers point down
 * (cli → app → http → query → topology → rollout/store → aggregate → schema; config and metrics below all).
 * ArchUnit rather than Checkstyle's import-control: the rules are tests beside the code, and
 * they see references that an import list does not.
 */
class ArchitectureTest {

    private static final String STREAMS_INTERNALS = "org.apache.kafka.streams..internals..";
    private static JavaClasses classes;

    @BeforeAll
    static void importClasses() {
        classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.rollcall");
    }

    @Test
    void kafkaStreamsInternalsAreUsedOnlyByTheStorePackage() {
        noClasses().that().resideOutsideOfPackage("io.rollcall.store..")
                .should().dependOnClassesThat().resideInAPackage(STREAMS_INTERNALS)
                .because("Streams' internals change without notice; io.rollcall.store is the one place that "
                        + "adapts to them (see its package-info)")
                .check(classes);
    }

    @Test
    void httpDoesNotReachIntoTheApplicationOrTheCommandLine() {
        noClasses().that().resideInAPackage("io.rollcall.http..")
                .should().dependOnClassesThat().resideInAnyPackage("io.rollcall.app..", "io.rollcall.cli..")
                .because("the HTTP layer parses, calls the query and rollout services and renders; "
                        + "the application wires it, not the other way round")
                .check(classes);
    }

    @Test
    void queriesDoNotDependOnHttpTheApplicationOrTheCommandLine() {
        noClasses().that().resideInAPackage("io.rollcall.query..")
                .should().dependOnClassesThat()
                .resideInAnyPackage("io.rollcall.http..", "io.rollcall.app..", "io.rollcall.cli..")
                .check(classes);
    }

    @Test
    void theTopologyIsAPureFunctionOfItsConfiguration() {
        noClasses().that().resideInAPackage("io.rollcall.topology..")
                .should().dependOnClassesThat().resideInAnyPackage("io.rollcall.query..", "io.rollcall.http..",
                        "io.rollcall.app..", "io.rollcall.cli..", "org.apache.kafka.streams.KafkaStreams",
                        "org.apache.kafka.clients..")
                .because("the same topology runs in production and in TopologyTestDriver")
                .check(classes);
    }

    @Test
    void rolloutJudgementDependsOnlyOnAggregatesSchemasAndConfiguration() {
        noClasses().that().resideInAPackage("io.rollcall.rollout..")
                .should().dependOnClassesThat().resideInAnyPackage("io.rollcall.topology..", "io.rollcall.query..",
                        "io.rollcall.http..", "io.rollcall.app..", "io.rollcall.cli..", "io.rollcall.store..")
                .check(classes);
    }

    @Test
    void aggregatesAndStoresDoNotDependOnTheLayersAboveThem() {
        noClasses().that().resideInAnyPackage("io.rollcall.aggregate..", "io.rollcall.store..")
                .should().dependOnClassesThat().resideInAnyPackage("io.rollcall.topology..", "io.rollcall.rollout..",
                        "io.rollcall.query..", "io.rollcall.http..", "io.rollcall.app..", "io.rollcall.cli..",
                        "io.rollcall.config..")
                .check(classes);
    }

    @Test
    void pipelineMetricsDependOnlyOnTheSchemas() {
        noClasses().that().resideInAPackage("io.rollcall.metrics..")
                .should().dependOnClassesThat().resideInAnyPackage("io.rollcall.config..", "io.rollcall.aggregate..",
                        "io.rollcall.store..", "io.rollcall.topology..", "io.rollcall.rollout..", "io.rollcall.query..",
                        "io.rollcall.http..", "io.rollcall.app..", "io.rollcall.cli..", "org.apache.kafka..")
                .because("processors of every layer and the query services record into them")
                .check(classes);
    }

    @Test
    void configurationDependsOnNothingElseOfOurs() {
        noClasses().that().resideInAPackage("io.rollcall.config..")
                .should().dependOnClassesThat().resideInAnyPackage("io.rollcall.aggregate..", "io.rollcall.store..",
                        "io.rollcall.topology..", "io.rollcall.rollout..", "io.rollcall.query..",
                        "io.rollcall.http..", "io.rollcall.app..", "io.rollcall.cli..")
                .check(classes);
    }
}
