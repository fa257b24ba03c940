package io.daemonset.daemonset;

import static org.assertj.core.api.Assertions.assertThat;

import io.daemonset.model.DaemonSet;
import io.daemonset.model.DaemonSetSpec;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Issue 10 item 4: the template generation, as upstream's DaemonSet strategy keeps it in apps/v1. */
class DaemonSetObjectsTest {
  static final Instant NOW = Instant.parse("2026-12-01T00:00:00Z");

  @Test
  void theTemplateGenerationAnnotationIsBumpedOnlyWhenTheTemplateChanges() {
    DaemonSet created = ReconcileWorld.daemonSet(s -> s);
    assertThat(created.metadata().annotations()).containsEntry(DaemonSetObjects.TEMPLATE_GENERATION, "1");

    // Another spec field (minReadySeconds) raises generation, not the template generation; a request without the
    // annotation (kubectl apply never sends it) does not drop it.
    DaemonSet minReady = created.withSpec(new DaemonSetSpec(created.spec().selector(), created.spec().template(),
        created.spec().updateStrategy(), 5, created.spec().revisionHistoryLimit(), null));
    DaemonSet updated = DaemonSetObjects.forUpdate(created,
        minReady.withMetadata(minReady.metadata().withAnnotations(Map.of("team", "logs"))));
    assertThat(updated.metadata().generation()).isEqualTo(2L);
    assertThat(updated.metadata().annotations()).containsEntry(DaemonSetObjects.TEMPLATE_GENERATION, "1")
        .containsEntry("team", "logs");

    DaemonSetSpec newImage = ReconcileWorld.withPodSpec(updated.spec(), p -> p.withContainers(
        List.of(p.containers().get(0).withImage("foo/bar:2"))));
    DaemonSet rolled = DaemonSetObjects.forUpdate(updated, updated.withSpec(newImage));
    assertThat(rolled.metadata().generation()).isEqualTo(3L);
    assertThat(rolled.metadata().annotations()).containsEntry(DaemonSetObjects.TEMPLATE_GENERATION, "2");

    // Pods take the pod-template-generation label from it, not from metadata.generation.
    var pod = DaemonPods.render(rolled, rolled.spec().template(), "h", "n1", "foo-bcdfg", "uid", NOW);
    assertThat(pod.metadata().labels()).containsEntry(DaemonPods.TEMPLATE_GENERATION_LABEL, "2");
    assertThat(pod.metadata().generateName()).isEqualTo("foo-");
  }

  @Test
  void podNamesTruncateTheBaseAt58CharactersAndNeverRepeat() {
    String longName = "a".repeat(70);
    assertThat(PodNames.generateName(longName)).hasSize(58);
    assertThat(PodNames.podName(longName, 0)).hasSize(63);
    java.util.Set<String> suffixes = new java.util.HashSet<>();
    for (long i = 0; i < 200_000; i++) {
      suffixes.add(PodNames.suffix("ds", i));
    }
    assertThat(suffixes).hasSize(200_000);
    // Past 27^5 ordinals: one character longer, still no repeat of the five-character ones.
    assertThat(PodNames.suffix("ds", 14_348_907L)).hasSize(6);
  }

  @Test
  void aPodsNameDependsOnItsDaemonSetsNameAndOrdinalOnlySoIncarnationsNeverMeet() {
    // Before, the offset came from the uid: "fluentd" under uid afa5a1c4-89ac-477b-9ac4-18e0af4c0960 at ordinal
    // 716 and under 44fcbb1e-e779-431a-a64e-58ad258ca81b at ordinal 5000 were both fluentd-klcw2. The ordinals
    // carry over to a new incarnation, so distinct ordinals of one name are distinct pods' names.
    assertThat(PodNames.podName("fluentd", 716)).isNotEqualTo(PodNames.podName("fluentd", 5000));
    assertThat(PodNames.podName("fluentd", 716)).isEqualTo(PodNames.podName("fluentd", 716));
  }
}
