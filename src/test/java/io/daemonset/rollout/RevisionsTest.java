package io.daemonset.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import io.daemonset.model.DaemonSet;
import io.daemonset.model.DaemonSetSpec;
import io.daemonset.model.Json;
import io.daemonset.model.ObjectMeta;
import io.daemonset.model.PodTemplateSpec;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** getPatch, snapshot and maxRevision of upstream update.go. */
class RevisionsTest {

  static final PodTemplateSpec TEMPLATE = TemplateHashTest.template(TemplateHashTest.TEMPLATE);

  @Test
  void revisionDataIsTheTemplateAsAReplacePatchWithSortedKeys() {
    assertThat(Json.write(Revisions.revisionData(TEMPLATE))).isEqualTo(
        "{\"spec\":{\"template\":{\"$patch\":\"replace\","
            + "\"metadata\":{\"labels\":{\"name\":\"simple-daemon\",\"type\":\"production\"}},"
            + "\"spec\":{\"containers\":[{\"image\":\"foo/bar\",\"name\":\"c\"}],\"dnsPolicy\":\"Default\"}}}}");
  }

  @Test
  void equalTemplatesGiveEqualData() {
    assertThat(Revisions.revisionData(TemplateHashTest.template(TemplateHashTest.TEMPLATE)))
        .isEqualTo(Revisions.revisionData(TEMPLATE));
  }

  @Test
  void revisionNameIsDaemonSetDashHash() {
    assertThat(Revisions.revisionName("fluentd", "7645d87744")).isEqualTo("fluentd-7645d87744");
  }

  @Test
  void nextRevisionNumberIsMaxPlusOneOrOne() {
    assertThat(Revisions.nextRevisionNumber(List.of())).isEqualTo(1);
    assertThat(Revisions.nextRevisionNumber(List.of(3L, 1L, 2L))).isEqualTo(4);
    assertThat(Revisions.nextRevisionNumber(List.of(7L))).isEqualTo(8);
  }

  @Test
  void snapshotIsNamedLabelledAndOwnedAsUpstream() {
    DaemonSet ds = new DaemonSet(DaemonSet.APPS_V1, DaemonSet.KIND,
        ObjectMeta.named("default", "foo").withUid("uid-1").withAnnotations(Map.of("kubernetes.io/change-cause", "v2")),
        new DaemonSetSpec(null, TEMPLATE, null, null, null, null), null);
    var revision = Revisions.snapshot(ds, "abc", 3);
    assertThat(revision.metadata().name()).isEqualTo("foo-abc");
    assertThat(revision.metadata().labels()).containsEntry(Revisions.HASH_LABEL, "abc").containsEntry("name", "simple-daemon");
    assertThat(revision.metadata().annotations()).containsEntry("kubernetes.io/change-cause", "v2");
    assertThat(revision.metadata().ownerReferences()).singleElement()
        .satisfies(o -> assertThat(o.isController()).isTrue())
        .satisfies(o -> assertThat(o.uid()).isEqualTo("uid-1"));
    assertThat(revision.revision()).isEqualTo(3);
    assertThat(revision.data()).isEqualTo(Revisions.revisionData(TEMPLATE));
    assertThat(Revisions.hashOf(revision)).isEqualTo("abc");
  }
}
