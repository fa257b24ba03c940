package io.daemonset.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class Rfc3339Test {

  @ParameterizedTest
  @ValueSource(strings = {"2026-12-03T07:15:00Z", "1970-01-01T00:00:00Z", "0000-01-01T00:00:00Z",
      "9999-12-31T23:59:59Z", "2024-02-29T12:00:00Z", "2026-12-03T07:15:00.1Z", "2026-12-03T07:15:00.12Z",
      "2026-12-03T07:15:00.123Z", "2026-12-03T07:15:00.000001Z", "2026-12-03T07:15:00.123456789Z",
      "1969-12-31T23:59:59.999999999Z", "2026-12-03T07:15:00.000000000Z"})
  void readsTheUsualShapeAsTheJdkDoes(String text) {
    assertThat(Rfc3339.parse(text)).isEqualTo(DateTimeFormatter.ISO_INSTANT.parse(text, Instant::from));
  }

  @ParameterizedTest
  @ValueSource(strings = {"2026-12-03T07:15:00+01:00", "2026-12-03T07:15:00z", "2026-12-03t07:15:00Z",
      "2026-12-03T07:15:00.Z", "2026-12-03T07:15:00.1234567890Z", "2026-12-03T24:00:00Z", "2026-12-03T07:60:00Z",
      "2026-12-03T07:15:60Z", "2026-13-03T07:15:00Z", "2026-00-03T07:15:00Z", "2026-02-29T07:15:00Z",
      "2026-04-31T07:15:00Z", "2026-12-00T07:15:00Z", "+12026-12-03T07:15:00Z", "2026-12-03 07:15:00Z",
      " 2026-12-03T07:15:00Z", "2026-12-03T07:15:0aZ", "2026-12-03T07:15:00.1a3Z", "2026-12-03T07:15Z", "",
      "yesterday", "2026-12-03T07:15:00.-12Z"})
  void leavesEveryOtherTextToTheJdk(String text) {
    assertThat(Rfc3339.parse(text)).isNull();
  }

  @Test
  void agreesWithTheJdkOnRandomInstants() {
    Random random = new Random(42);
    for (int i = 0; i < 20_000; i++) {
      Instant t = Instant.ofEpochSecond(random.nextLong(-62_167_219_200L, 253_402_300_799L),
          random.nextInt(4) == 0 ? 0 : random.nextInt(1_000_000_000));
      String jdk = DateTimeFormatter.ISO_INSTANT.format(t);
      assertThat(Rfc3339.parse(jdk)).as(jdk).isEqualTo(t);
      assertThat(Rfc3339.formatSeconds(t)).as(jdk).isEqualTo(t.truncatedTo(ChronoUnit.SECONDS).toString());
      assertThat(Rfc3339.format(t)).as(jdk).isEqualTo(t.toString());
      Instant micros = t.truncatedTo(ChronoUnit.MICROS);
      assertThat(Rfc3339.format(micros)).as(jdk).isEqualTo(micros.toString());
      Instant millis = t.truncatedTo(ChronoUnit.MILLIS);
      assertThat(Rfc3339.format(millis)).as(jdk).isEqualTo(millis.toString());
    }
  }

  @Test
  void agreesWithTheJdkOnEveryDayOfTwoCenturiesAndTheEdgesOfEveryYear() {
    for (java.time.LocalDate d = java.time.LocalDate.of(1899, 1, 1); d.getYear() < 2101; d = d.plusDays(1)) {
      Instant t = d.atTime(23, 59, 59, 999_000_000).toInstant(java.time.ZoneOffset.UTC);
      assertThat(Rfc3339.format(t)).isEqualTo(t.toString());
    }
    for (int year = 0; year <= 9999; year++) {
      for (java.time.LocalDate d : java.util.List.of(java.time.LocalDate.of(year, 1, 1),
          java.time.LocalDate.of(year, 2, 28), java.time.LocalDate.of(year, 3, 1),
          java.time.LocalDate.of(year, 12, 31))) {
        Instant t = d.atStartOfDay().toInstant(java.time.ZoneOffset.UTC);
        assertThat(Rfc3339.formatSeconds(t)).isEqualTo(t.toString());
        assertThat(Rfc3339.format(t.minusNanos(1))).isEqualTo(t.minusNanos(1).toString());
      }
    }
  }

  @Test
  void writesYearsBeyondFourDigitsAsTheJdkDoes() {
    Instant far = Instant.parse("+12026-12-03T07:15:00.5Z");
    assertThat(Rfc3339.formatSeconds(far)).isEqualTo("+12026-12-03T07:15:00Z");
    assertThat(Rfc3339.format(far)).isEqualTo(far.toString());
    Instant before = Instant.parse("-0001-12-03T07:15:00Z");
    assertThat(Rfc3339.formatSeconds(before)).isEqualTo(before.toString());
  }

  @Test
  void theMappersReadOtherShapesAndRefuseNonsenseAsBefore() throws Exception {
    ObjectMapper mapper = io.daemonset.model.Json.mapper();
    assertThat(mapper.readValue("\"2026-12-03T08:15:00+01:00\"", Instant.class))
        .isEqualTo(Instant.parse("2026-12-03T07:15:00Z"));
    assertThat(mapper.readValue("\"2026-12-03T07:15:00.25Z\"", Instant.class))
        .isEqualTo(Instant.parse("2026-12-03T07:15:00.25Z"));
    assertThat(mapper.readValue("null", Instant.class)).isNull();
    assertThatThrownBy(() -> mapper.readValue("\"2026-02-30T07:15:00Z\"", Instant.class))
        .isInstanceOf(com.fasterxml.jackson.databind.exc.InvalidFormatException.class);
    assertThat(mapper.writeValueAsString(Instant.parse("2026-12-03T07:15:00.987Z"))).isEqualTo("\"2026-12-03T07:15:00Z\"");
  }
}
