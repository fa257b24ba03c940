package io.daemonset.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class JitAdviceTest {
  @ParameterizedTest(name = "{0} CPUs, C2 runs {1}: advise {2}")
  @CsvSource({
      "1, true,  true",
      "2, true,  true",
      "2, false, false", // C1 alone already
      "3, true,  false",
      "16, true, false",
  })
  void advisesC1AloneOnlyOnSmallMachinesRunningC2(int cpus, boolean c2Runs, boolean advised) {
    assertThat(JitAdvice.of(cpus, c2Runs).isPresent()).isEqualTo(advised);
    JitAdvice.of(cpus, c2Runs).ifPresent(line -> assertThat(line).contains("-XX:TieredStopAtLevel=1", cpus + " CPU"));
  }
}
