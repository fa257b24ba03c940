package io.daemonset.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.daemonset.model.Release.Skew;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ReleaseTest {
  @ParameterizedTest(name = "{0} sees {1}: {2}")
  @CsvSource(nullValues = "null", value = {
      "0.1.0-SNAPSHOT, 0.1.0-SNAPSHOT, SAME",
      "0.1.0,          0.1.7,          SAME",
      "0.1.0,          0.2.0,          ONE_NEWER",
      "0.2.0,          0.1.0-SNAPSHOT, ONE_OLDER",
      "0.1.0,          0.3.0,          BEYOND",
      "0.3.0,          0.1.0,          BEYOND",
      "1.9.0,          2.0.0,          BEYOND",
      "0.1.0,          v0.2,           ONE_NEWER",
      "0.1.0,          null,           UNKNOWN",
      "0.1.0,          nightly,        UNKNOWN",
  })
  void skew(String mine, String theirs, Skew expected) {
    Release release = Release.parse(mine).orElseThrow();
    assertThat(release.skewOf(theirs)).isEqualTo(expected);
    assertThat(expected.supported()).isEqualTo(expected == Skew.SAME || expected.name().startsWith("ONE_"));
  }

  @ParameterizedTest
  @CsvSource({"99.0.0, 99, 0", "0.1.0-SNAPSHOT, 0, 1", "v1.32.0, 1, 32", "2.5, 2, 5"})
  void parse(String version, int major, int minor) {
    assertThat(Release.parse(version)).hasValue(new Release(major, minor, version));
  }
}
