package io.daemonset.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import io.daemonset.model.Json;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Effects end up in journaled events: they must survive the model's Json mapper unchanged. */
class EffectsSerializationTest {

  @Test
  void effectsRoundTrip() {
    PodCreation create = new PodCreation("node-1", "h2", Reason.of(Reason.Kind.SURGE_NEW_POD, "revision h2"));
    PodDeletion delete = new PodDeletion("pod-1", "node-1", Reason.of(Reason.Kind.ROLLING_UPDATE, "step"));
    Backoff backoff = new Backoff(Instant.ofEpochSecond(1_002), Duration.ofSeconds(2));
    assertThat(Json.read(Json.write(create), PodCreation.class)).isEqualTo(create);
    assertThat(Json.read(Json.write(delete), PodDeletion.class)).isEqualTo(delete);
    assertThat(Json.read(Json.write(backoff), Backoff.class)).isEqualTo(backoff);
  }

  @Test
  void slowStartBatchesAsUpstreamSyncNodes() {
    assertThat(SlowStart.batchSizes(0)).isEmpty();
    assertThat(SlowStart.batchSizes(10)).containsExactly(1, 2, 4, 3);
    assertThat(SlowStart.batchSizes(1_000)).containsExactly(1, 2, 4, 8, 16, 32, 64, 123);
  }
}
