package io.daemonset.agent;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Parsing /proc as the usage sampler reads it, and the CPU rate it computes. */
class ProcStatsTest {

  @Test
  void aProcessStatCountsItsOwnAndReapedChildrensTimeAndItsResidentPages() {
    // the command holds spaces and a parenthesis: fields are read after the last ')'
    String stat = "4242 (my (odd) cmd) S 1 4242 4242 0 -1 4194560 500 0 0 0 120 30 7 3 20 0 1 0 100 12345678 250 "
        + "18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0";
    ProcStats.Usage usage = ProcStats.parseProcessStat(stat);
    assertThat(usage.cpuTicks()).isEqualTo(120 + 30 + 7 + 3);
    assertThat(usage.memoryBytes()).isEqualTo(250 * 4096L);
  }

  @Test
  void theMachineIsBusyForAllButIdleAndIowaitAndUsesAllButAvailableMemory() {
    String stat = "cpu  100 5 50 1000 20 1 2 3 0 0\ncpu0 50 2 25 500 10 0 1 1 0 0\nintr 1\n";
    assertThat(ProcStats.parseBusyTicks(stat)).isEqualTo(100 + 5 + 50 + 1 + 2 + 3);
    String meminfo = "MemTotal:       16000000 kB\nMemFree:         1000000 kB\nMemAvailable:    6000000 kB\n";
    assertThat(ProcStats.parseMemoryInUse(meminfo)).hasValue(10_000_000L * 1024);
    assertThat(ProcStats.parseMemoryInUse("MemTotal: 1 kB\n")).isEmpty();
  }

  @ParameterizedTest
  @CsvSource({
      "0, 100, 1.0, 1000000000",   // 100 ticks in a second: one core
      "0, 50, 5.0, 100000000",     // 50 ticks over five seconds: a tenth of a core
      "200, 100, 1.0, 0",          // a restarted process counts again from zero: never negative
  })
  void cpuIsTheRateBetweenTwoSamples(long before, long after, double seconds, long nanoCores) {
    assertThat(UsageSampler.nanoCores(before, after, seconds)).isEqualTo(nanoCores);
  }
}
