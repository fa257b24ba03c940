package io.daemonset.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.OptionalInt;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class IntOrStringTest {

  /** upstream GetScaledValueFromIntOrPercent: maxUnavailable and maxSurge round up, the scheduled count down. */
  @ParameterizedTest(name = "{0} of {1}, roundUp={2} -> {3}")
  @CsvSource({
      "10%, 10, true, 1",
      "10%, 15, true, 2",
      "10%, 15, false, 1",
      "10%, 5, true, 1",
      "10%, 5, false, 0",
      "33%, 3, true, 1",
      "33%, 3, false, 0",
      "50%, 3, true, 2",
      "50%, 3, false, 1",
      "100%, 7, false, 7",
      "0%, 9, true, 0",
      "1%, 0, true, 0",
      "25%, 4000, false, 1000"})
  void scalesAPercentOfTheTotal(String percent, int total, boolean roundUp, int expected) {
    assertThat(IntOrString.of(percent).scaledValue(total, roundUp)).isEqualTo(expected);
  }

  @ParameterizedTest
  @CsvSource({"3, 100", "0, 5"})
  void anIntIsTakenAsIs(int value, int total) {
    assertThat(IntOrString.of(value).scaledValue(total, true)).isEqualTo(value);
  }

  @ParameterizedTest
  @ValueSource(strings = {"10", "abc", "+5%", "-5%", "5.5%", "%", "10 %"})
  void onlyDigitsThenPercentIsAPercentage(String text) {
    IntOrString v = IntOrString.of(text);

    assertThat(v.percent()).isEqualTo(OptionalInt.empty());
    assertThatThrownBy(() -> v.scaledValue(10, true)).isInstanceOf(IllegalArgumentException.class);
  }

  @ParameterizedTest
  @CsvSource({"1, 1", "'\"25%\"', 25%", "'\"http\"', http"})
  void decodesAnIntOrAString(String json, String expected) {
    assertThat(Json.read(json, IntOrString.class).toString()).isEqualTo(expected);
    assertThat(Json.write(Json.read(json, IntOrString.class))).isEqualTo(json);
  }

  @ParameterizedTest
  @ValueSource(strings = {"1.5", "true", "{}"})
  void rejectsOtherJsonTypes(String json) {
    assertThatThrownBy(() -> Json.read(json, IntOrString.class)).hasMessageContaining("must be an integer or a string");
  }
}
