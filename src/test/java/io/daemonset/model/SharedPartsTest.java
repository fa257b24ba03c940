package io.daemonset.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A newer copy keeps the older one's instances of what did not change, and stays equal to itself. */
class SharedPartsTest {
  private static final String POD = """
      {"apiVersion":"v1","kind":"Pod","metadata":{"name":"fluentd-x7k2p","namespace":"default","uid":"u-9",
       "resourceVersion":"%s","labels":{"app":"fluentd"},"annotations":{"a":"%s"},
       "ownerReferences":[{"apiVersion":"apps/v1","kind":"DaemonSet","name":"fluentd","uid":"u-1","controller":true}]},
       "spec":{"nodeName":"node-17","containers":[{"name":"c","image":"%s"}]},
       "status":{"phase":"%s"}}
      """;

  private static Pod pod(String rv, String annotation, String image, String phase) {
    return Json.read(String.format(POD, rv, annotation, image, phase), Pod.class);
  }

  @Test
  void table() {
    Pod first = pod("1", "x", "agent:1", "Pending");
    PodStatus running = pod("0", "x", "agent:1", "Running").status();
    record Row(String name, Pod now, PodStatus held, boolean spec, boolean labels, boolean annotations,
               boolean status) {}
    for (Row row : List.of(
        new Row("only status and resourceVersion changed", pod("2", "x", "agent:1", "Running"), null,
            true, true, true, false),
        new Row("and the status is the one held", pod("2", "x", "agent:1", "Running"), running,
            true, true, true, true),
        new Row("the image changed", pod("3", "x", "agent:2", "Running"), running, false, true, true, true),
        new Row("an annotation changed", pod("4", "y", "agent:1", "Pending"), running, true, true, false, false))) {
      Pod shared = SharedParts.pod(first, row.now(), row.held());

      assertThat(shared).as(row.name()).isEqualTo(row.now());
      assertThat(shared.spec() == first.spec()).as(row.name() + ": spec").isEqualTo(row.spec());
      assertThat(shared.metadata().labels() == first.metadata().labels()).as(row.name() + ": labels")
          .isEqualTo(row.labels());
      assertThat(shared.metadata().annotations() == first.metadata().annotations()).as(row.name() + ": annotations")
          .isEqualTo(row.annotations());
      assertThat(shared.metadata().ownerReferences()).isSameAs(first.metadata().ownerReferences());
      assertThat(shared.status() == row.held()).as(row.name() + ": status").isEqualTo(row.status());
    }
  }

  @Test
  void nothingBefore_nothingNow_equalMetadataIsTheOldInstance() {
    Pod first = pod("1", "x", "agent:1", "Pending");

    assertThat(SharedParts.pod(null, first, null)).isSameAs(first);
    assertThat(SharedParts.pod(first, null, null)).isNull();
    assertThat(SharedParts.pod(first, pod("1", "x", "agent:1", "Running"), null).metadata())
        .isSameAs(first.metadata());
    assertThat(Map.of()).isEmpty();
  }
}
