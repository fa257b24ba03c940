package io.daemonset.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class LeaseTermsTest {
  static final LeaseTerms DEFAULTS = new LeaseTerms(100, Duration.ofMinutes(10));

  @ParameterizedTest(name = "{0} nodes → {1} s")
  @CsvSource({
      // up to 1,000 nodes, no longer than kubelet's 40 s lease (renewed every 10 s): the lease asked is granted
      "0, 0", "1, 1", "1000, 40",
      // beyond, renewals every quarter of the lease keep the fleet at 100 a second
      "1001, 41", "2000, 80", "5000, 200",
      // never beyond the ceiling
      "15000, 600", "1000000, 600"})
  void theLeaseGrowsWithTheFleetBetweenTheGraceAndTheCeiling(int nodes, long seconds) {
    Duration granted = DEFAULTS.granted(nodes);
    assertThat(granted).isEqualTo(Duration.ofSeconds(seconds));
    if (nodes > 0 && seconds < 600) {
      assertThat(nodes / (granted.toSeconds() / 4.0)).isLessThanOrEqualTo(100.0);
    }
  }

  @Test
  void leasesAsAskedGrantNothingLonger() {
    assertThat(LeaseTerms.AS_ASKED.granted(1_000_000)).isEqualTo(Duration.ZERO);
  }

  @Test
  void aRateThatIsNotPositiveIsRefused() {
    assertThatThrownBy(() -> new LeaseTerms(0, Duration.ofMinutes(10)))
        .hasMessageContaining("lease-renewals-per-second");
  }
}
