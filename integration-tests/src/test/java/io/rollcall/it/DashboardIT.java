package io.rollcall.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.rollcall.app.RollcallApp;
import io.rollcall.config.RollcallConfig;
import io.rollcall.load.LoadGenerator;
import io.rollcall.schema.AvroSerde;
import io.rollcall.schema.SeriesId;
import io.rollcall.schema.avro.MetricEvent;
import io.rollcall.schema.avro.MetricType;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard in headless Chromium (Debian's chromium and chromedriver) against a running app
 * on a real broker: it loads, shows a rollout's verdicts as they arrive until the rollback,
 * draws the canary-vs-baseline charts, looks a series up and lists the instance's partitions.
 * One page is followed through a rollout, in order. Screenshots go to {@code target/dashboard.png}
 * and {@code target/dashboard-series.png}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DashboardIT {

    private static final String TOKEN = "it-token-0123456789abcdef";
    /** 18446744073709551574: an id >= 2^63, as the page must keep it exact. */
    private static final long ID = -42L;

    private RollcallApp app;
    private CanaryTraffic traffic;
    private ChromeDriver browser;
    private WebDriverWait wait;

    @BeforeAll
    void openTheDashboardOnARollout() throws Exception {
        RollcallConfig config = Fixtures.rolloutConfig("dashboard", TOKEN);
        app = RollcallApp.start(config);
        traffic = new CanaryTraffic(config, "search");
        assertThat(app.awaitRunning(Duration.ofSeconds(60))).isTrue();
        try (KafkaProducer<byte[], byte[]> producer = LoadGenerator.producer(config.kafkaProperties())) {
            AvroSerde<MetricEvent> events = AvroSerde.metricEvent();
            for (int i = 0; i < 30; i++) {
                producer.send(new ProducerRecord<>(config.eventsTopic(), SeriesId.of(ID).toBytes(),
                        events.serialize(MetricEvent.newBuilder().setId(ID).setName("checkout.latency")
                                .setTimestamp(Instant.now()).setType(MetricType.TIMER).setValue(10 + i)
                                .setStatus(200).setLabels(Map.of()).build())));
            }
        }
        HttpResponse<String> put = Api.of(app, TOKEN).put("/api/v1/rollouts/search", """
                {"rolloutId": "search-7", "baselineRevision": "v1", "canaryRevision": "v2",
                 "analysisWindow": "2s", "minSamples": 40, "failureLimit": 1, "successWindows": 50,
                 "slos": [{"kind": "LATENCY", "quantile": 0.95, "threshold": 500},
                          {"kind": "ERROR_RATE", "threshold": 0.01}]}""");
        assertThat(put.statusCode()).isEqualTo(202);
        browser = browser();
        wait = new WebDriverWait(browser, Duration.ofSeconds(45));
        browser.get("http://127.0.0.1:" + app.httpPort() + "/");
    }

    @AfterAll
    void stop() throws Exception {
        try (RollcallApp closing = app; CanaryTraffic stopping = traffic) {
            if (browser != null) {
                browser.quit();
            }
        }
    }

    @Test
    @Order(1)
    void loadsWithItsTitle() {
        assertThat(browser.getTitle()).isEqualTo("rollcall");
    }

    @Test
    @Order(2)
    void showsHealthyVerdictsWindowByWindowAsTheyArrive() {
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("rollouts"), "search"));
        wait.until(d -> !d.findElements(By.cssSelector("#timeline li[data-decision=CONTINUE]")).isEmpty());
        int before = browser.findElements(By.cssSelector("#timeline li")).size();
        wait.until(d -> d.findElements(By.cssSelector("#timeline li")).size() > before);
        assertThat(browser.findElement(By.id("rollout-status")).getText()).startsWith("RUNNING");
    }

    @Test
    @Order(3)
    void showsTheRollbackWithoutAReloadWhenTheCanaryFails() throws Exception {
        traffic.canaryErrorRate.set(0.4);
        wait.until(d -> !d.findElements(By.cssSelector("#timeline li[data-decision=ROLLBACK]")).isEmpty());
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("rollout-status"), "ROLLED_BACK"));
        assertThat(browser.findElement(By.id("rollout-reason")).getText()).contains("canary error rate");
    }

    @Test
    @Order(4)
    void drawsLatencyAndErrorChartsOfCanaryAndBaseline() throws Exception {
        for (String chart : List.of("latency-chart", "error-chart")) {
            WebElement plot = browser.findElement(By.id(chart));
            assertThat(plot.findElements(By.tagName("canvas"))).isNotEmpty();
            assertThat(plot.getText()).contains("canary").contains("baseline");
        }
    }

    @Test
    @Order(5)
    void mapsThisInstanceHoldingEveryPartitionActively() throws Exception {
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("instances"), "(this one)"));
        assertThat(browser.findElement(By.id("instances")).getText()).contains("0, 1, 2");
        screenshot(browser, "dashboard.png");
    }

    @Test
    @Order(6)
    void anErrorIsShownForAnIdThatIsNotANumber() {
        lookUp("not-a-number");
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("series-error")));
        assertThat(browser.findElement(By.id("series-error")).getText()).isNotBlank();
    }

    @Test
    @Order(7)
    void looksUpASeriesAbove2To63ExactlyAndPlotsItsWindows() throws Exception {
        lookUp(SeriesId.of(ID).toString());
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("series-result")));
        assertThat(browser.findElement(By.id("series-table")).getText())
                .contains("18446744073709551574").contains("checkout.latency");
        assertThat(browser.findElement(By.xpath("//table[@id='series-table']//tr[th='count']/td")).getText())
                .isEqualTo("30");
        assertThat(browser.findElement(By.id("series-chart")).findElements(By.tagName("canvas"))).isNotEmpty();
        screenshot(browser, "dashboard-series.png");
    }

    private void lookUp(String id) {
        browser.findElement(By.id("series-id")).clear();
        browser.findElement(By.id("series-id")).sendKeys(id);
        browser.findElement(By.cssSelector("#lookup button")).click();
    }

    /** Headless Debian Chromium with the flags this closed network needs; no driver download. */
    private static ChromeDriver browser() throws Exception {
        Path chromedriver = Path.of("/usr/bin/chromedriver");
        Path chromium = Path.of("/usr/bin/chromium");
        assertThat(chromedriver).as("chromium-driver is installed (apt-get install chromium chromium-driver; .ci/run does)")
                .isExecutable();
        ChromeOptions options = new ChromeOptions().setBinary(chromium.toFile())
                .addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                        "--disable-background-networking", "--disable-component-update", "--disable-sync",
                        "--disable-dev-shm-usage", "--window-size=1400,1000",
                        "--user-data-dir=" + Files.createTempDirectory("rollcall-chromium"));
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(chromedriver.toFile())
                .usingAnyFreePort().build();
        return new ChromeDriver(service, options);
    }

    private static void screenshot(ChromeDriver browser, String name) throws Exception {
        Path shot = browser.getScreenshotAs(OutputType.FILE).toPath();
        Files.copy(shot, Path.of("target", name), StandardCopyOption.REPLACE_EXISTING);
    }
}
