package io.rollcall.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rollcall.query.Cursor;
import io.rollcall.schema.SeriesId;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ParamsTest {

    private static final Instant FALLBACK = Instant.parse("2026-11-26T09:00:00Z");

    @Test
    void anIdIsAnUnsignedDecimal() {
        assertThat(Params.id("id", "18446744073709551615")).isEqualTo(SeriesId.MAX);
    }

    @Test
    void aMalformedIdIsRefusedNamingTheParameter() {
        assertThatThrownBy(() -> Params.id("from", "-1"))
                .isInstanceOf(BadRequest.class)
                .hasMessage("from: series id must be an unsigned decimal (digits only), got '-1'");
    }

    @Test
    void anAbsentOptionalIdIsTheFallback() {
        assertThat(Params.optionalId("to", null, SeriesId.MAX)).isEqualTo(SeriesId.MAX);
        assertThat(Params.optionalId("to", "", SeriesId.MAX)).isEqualTo(SeriesId.MAX);
    }

    @Test
    void aTimeIsIso8601() {
        assertThat(Params.time("to", "2026-11-26T10:00:00Z", FALLBACK)).isEqualTo(Instant.parse("2026-11-26T10:00:00Z"));
    }

    @Test
    void aTimeOfDigitsIsEpochMilliseconds() {
        assertThat(Params.time("to", "1000", FALLBACK)).isEqualTo(Instant.ofEpochMilli(1000));
    }

    @Test
    void anAbsentTimeIsTheFallback() {
        assertThat(Params.time("to", null, FALLBACK)).isEqualTo(FALLBACK);
    }

    @Test
    void aTimeInAnotherFormatIsRefusedWithTheAcceptedFormats() {
        assertThatThrownBy(() -> Params.time("from", "yesterday", FALLBACK))
                .isInstanceOf(BadRequest.class)
                .hasMessage("from: 'yesterday' is neither ISO-8601 (2026-11-26T10:00:00Z) nor epoch milliseconds");
    }

    @Test
    void anOverlongTimeIsRefusedWithoutEchoingIt() {
        assertThatThrownBy(() -> Params.time("from", "1".repeat(41), FALLBACK))
                .isInstanceOf(BadRequest.class)
                .hasMessage("from: not a time (too long)");
    }

    @Test
    void anAbsentLimitIsTheDefault() {
        assertThat(Params.limit((String) null)).isEqualTo(Params.DEFAULT_LIMIT);
    }

    @Test
    void aLimitWithinRangeIsTaken() {
        assertThat(Params.limit("1")).isEqualTo(1);
        assertThat(Params.limit("1000")).isEqualTo(Params.MAX_LIMIT);
    }

    @Test
    void aLimitOutsideRangeIsRefused() {
        assertThatThrownBy(() -> Params.limit("1001"))
                .isInstanceOf(BadRequest.class)
                .hasMessage("limit: must be within 1..1000, got 1001");
        assertThatThrownBy(() -> Params.limit("0")).isInstanceOf(BadRequest.class);
    }

    @Test
    void aLimitThatIsNotAnIntegerIsRefusedAndAbbreviated() {
        assertThatThrownBy(() -> Params.limit("x".repeat(50)))
                .isInstanceOf(BadRequest.class)
                .hasMessage("limit: must be an integer within 1..1000, got '" + "x".repeat(40) + "…'");
    }

    @Test
    void aCursorGivesTheIdItWasMadeAfter() {
        assertThat(Params.cursor(Cursor.after(SeriesId.of(42)))).isEqualTo(SeriesId.of(42));
    }

    @Test
    void anAbsentCursorStartsFromTheBeginning() {
        assertThat(Params.cursor((String) null)).isNull();
    }

    @Test
    void aForgedCursorIsRefused() {
        assertThatThrownBy(() -> Params.cursor("bm90LWEtY3Vyc29y"))
                .isInstanceOf(BadRequest.class)
                .hasMessage("cursor: cursor is not one this API returned");
    }

    @Test
    void aFlagIsTrueOrFalseOrOneOrZero() {
        assertThat(Params.flag("fresh", "true")).isTrue();
        assertThat(Params.flag("fresh", "1")).isTrue();
        assertThat(Params.flag("fresh", "false")).isFalse();
        assertThat(Params.flag("fresh", "0")).isFalse();
    }

    @Test
    void anAbsentFlagIsFalse() {
        assertThat(Params.flag("fresh", null)).isFalse();
    }

    @Test
    void aFlagOfOtherTextIsRefusedNamingTheParameter() {
        assertThatThrownBy(() -> Params.flag("standby", "yes"))
                .isInstanceOf(BadRequest.class)
                .hasMessage("standby: must be true or false, got 'yes'");
    }

    @Test
    void aServiceNameIsTakenAsItIs() {
        assertThat(Params.service("checkout v2/eu")).isEqualTo("checkout v2/eu");
    }

    @Test
    void aServiceNameMustHaveOneTo256Characters() {
        assertThatThrownBy(() -> Params.service("")).hasMessage("service: must be 1 to 256 characters");
        assertThatThrownBy(() -> Params.service("s".repeat(257))).hasMessage("service: must be 1 to 256 characters");
    }

    @Test
    void aServiceNameMustNotContainControlCharacters() {
        assertThatThrownBy(() -> Params.service("check\nout"))
                .isInstanceOf(BadRequest.class)
                .hasMessage("service: must not contain control characters");
    }

    @Test
    void partitionsAreACommaSeparatedList() {
        assertThat(Params.partitions("0,3,5")).containsExactly(0, 3, 5);
    }

    @Test
    void partitionsAreRequired() {
        assertThatThrownBy(() -> Params.partitions((String) null))
                .isInstanceOf(BadRequest.class)
                .hasMessage("partitions: required, e.g. 0,3,5");
    }

    @Test
    void partitionsThatAreNotNumbersAreRefused() {
        assertThatThrownBy(() -> Params.partitions("0,x"))
                .isInstanceOf(BadRequest.class)
                .hasMessage("partitions: not a list of partition numbers");
    }

    @Test
    void aQueryIsAppendedAfterAQuestionMarkOnlyWhenThereIsOne() {
        assertThat(Params.pathAndQuery("/api/v1/metrics/1", "fresh=true")).isEqualTo("/api/v1/metrics/1?fresh=true");
        assertThat(Params.pathAndQuery("/api/v1/metrics/1", null)).isEqualTo("/api/v1/metrics/1");
        assertThat(Params.pathAndQuery("/api/v1/metrics/1", "")).isEqualTo("/api/v1/metrics/1");
    }

    @Test
    void encodingMakesOnePathSegmentWithSpacesAsPercent20() {
        assertThat(Params.encode("check out/eu?")).isEqualTo("check%20out%2Feu%3F");
    }

    @Test
    void aJsonBodyIsParsed() {
        assertThat(Params.jsonBody("{\"a\": 1}").get("a").asInt()).isEqualTo(1);
    }

    @Test
    void aBlankBodyIsRefused() {
        assertThatThrownBy(() -> Params.jsonBody("  "))
                .isInstanceOf(BadRequest.class)
                .hasMessage("body: a JSON object is required");
    }

    @Test
    void aBodyThatIsNotJsonIsRefused() {
        assertThatThrownBy(() -> Params.jsonBody("not json"))
                .isInstanceOf(BadRequest.class)
                .hasMessageStartingWith("body: not JSON: ");
    }
}
