package io.daemonset.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class LeaseTermsTest {
  static final LeaseTerms DEFAULTS = new LeaseTerms(Duration.ofSeconds(40), 100, Duration.ofMinutes(10));

  @ParameterizedTest(name = "{0} nodes → {1} s")
  @CsvSource({
      // up to grace × rate / 4 nodes, upstream's 40 s lease (renewed every 10 s)
      "0, 40", "1, 40", "1000, 40",
      // beyond, renewals every quarter of the lease keep the fleet at 100 a second
      "1001, 41", "2000, 80", "5000, 200",
      // never beyond the ceiling
      "15000, 600", "1000000, 600"})
  void theLeaseGrowsWithTheFleetBetweenTheGraceAndTheCeiling(int nodes, long seconds) {
    Duration granted = DEFAULTS.granted(nodes);
    assertThat(granted).isEqualTo(Duration.ofSeconds(seconds));
    if (seconds < 600) {
      assertThat(nodes / (granted.toSeconds() / 4.0)).isLessThanOrEqualTo(100.0);
    }
  }

  @Test
  void aCeilingBelowTheGraceNeverShortensTheGrace() {
    assertThat(new LeaseTerms(Duration.ofSeconds(40), 1, Duration.ofSeconds(5)).granted(1000))
        .isEqualTo(Duration.ofSeconds(40));
  }

  @Test
  void fixedTermsAreTheGraceWhateverTheFleet() {
    assertThat(LeaseTerms.fixed(Duration.ofSeconds(3)).granted(1_000_000)).isEqualTo(Duration.ofSeconds(3));
  }

  @Test
  void aRateThatIsNotPositiveIsRefused() {
    assertThatThrownBy(() -> new LeaseTerms(Duration.ofSeconds(40), 0, Duration.ofMinutes(10)))
        .hasMessageContaining("lease-renewals-per-second");
  }
}
