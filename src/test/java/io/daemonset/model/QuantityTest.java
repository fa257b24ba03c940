package io.daemonset.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class QuantityTest {

  @ParameterizedTest(name = "{0} = {1}, canonical {2}")
  @CsvSource({
      "100m, 0.1, 100m",
      "200Mi, 209715200, 200Mi",
      "1Gi, 1073741824, 1Gi",
      "0.5, 0.5, 500m",
      "1e3, 1000, 1e3",
      "1E3, 1000, 1e3",
      "1.5Gi, 1610612736, 1536Mi",
      "1024Mi, 1073741824, 1Gi",
      "2000m, 2, 2",
      "1000, 1000, 1k",
      "1500, 1500, 1500",
      "512, 512, 512",
      "0.5Ki, 512, 512",
      "100u, 0.0001, 100u",
      "1n, 0.000000001, 1n",
      "1E, 1000000000000000000, 1E",
      "-1, -1, -1",
      "0, 0, 0",
      "0Mi, 0, 0",
      ".5, 0.5, 500m",
      "5., 5, 5",
      "+3k, 3000, 3k"})
  void parsesExactlyAndPrintsTheCanonicalForm(String text, BigDecimal value, String canonical) {
    Quantity q = Quantity.parse(text);

    assertThat(q.value()).isEqualByComparingTo(value);
    assertThat(q.canonical()).isEqualTo(canonical);
    assertThat(q.toString()).isEqualTo(text);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "abc", "1.2.3", "10 Mi", "1Gb", "Mi", "1ki", "--1", "1e", "0x10"})
  void rejectsWhatUpstreamRejects(String text) {
    assertThatThrownBy(() -> Quantity.parse(text)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'");
  }

  @Test
  void equalAmountsAreEqualWhateverTheSpelling() {
    assertThat(Quantity.parse("1Gi")).isEqualTo(Quantity.parse("1024Mi")).hasSameHashCodeAs(Quantity.parse("1024Mi"));
    assertThat(Quantity.parse("500m")).isEqualByComparingTo(Quantity.parse("0.5"));
  }

  @Test
  void decodesJsonNumbersAsWrittenAndWritesTheText() {
    ResourceRequirements r = Json.read("{\"limits\":{\"cpu\":1,\"memory\":1e3}}", ResourceRequirements.class);

    assertThat(r.limits().get("cpu")).isEqualTo(Quantity.parse("1"));
    assertThat(r.limits().get("memory").toString()).isEqualTo("1e3");
    assertThat(Json.write(r)).isEqualTo("{\"limits\":{\"cpu\":\"1\",\"memory\":\"1e3\"}}");
  }
}
