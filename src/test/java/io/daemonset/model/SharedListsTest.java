package io.daemonset.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Two decoded pods share their equal tolerations and containers; what is read is unchanged. */
class SharedListsTest {
  private static final String POD = """
      {"metadata":{"name":"%s"},"spec":{"nodeName":"%s","containers":[{"name":"c","image":"%s"}],
       "initContainers":[{"name":"i","image":"init:1"}],
       "tolerations":[{"key":"node.kubernetes.io/not-ready","operator":"Exists","effect":"NoExecute"},
                      {"key":"node.kubernetes.io/unreachable","operator":"Exists","effect":"NoExecute"}]}}
      """;

  private static Pod pod(String name, String node, String image) {
    return Json.read(String.format(POD, name, node, image), Pod.class);
  }

  @Test
  void twoPodsOfOneTemplateOnTwoNodesShareTheirLists() {
    Pod one = pod("a", "node-1", "agent:1");
    Pod two = pod("b", "node-2", "agent:1");

    assertThat(two.spec().tolerations()).isSameAs(one.spec().tolerations()).hasSize(2);
    assertThat(two.spec().containers()).isSameAs(one.spec().containers());
    assertThat(two.spec().initContainers()).isSameAs(one.spec().initContainers());
    assertThat(one.spec().tolerations().get(1).key()).isEqualTo("node.kubernetes.io/unreachable");
    assertThat(Json.write(two)).isEqualTo(Json.write(Json.read(Json.write(two), Pod.class)));
  }

  @Test
  void anotherImageIsAnotherList_orderKept() {
    Pod one = pod("a", "node-1", "agent:1");
    Pod two = pod("b", "node-1", "agent:2");

    assertThat(two.spec().containers()).isNotEqualTo(one.spec().containers());
    assertThat(two.spec().containers().get(0).image()).isEqualTo("agent:2");
    assertThat(two.spec().tolerations()).extracting(Toleration::key)
        .containsExactly("node.kubernetes.io/not-ready", "node.kubernetes.io/unreachable");
  }

  @Test
  void nullEmptyAndNullHoldingListsAreLeftAsTheyAre_sharedOnesCannotBeChanged() {
    List<Toleration> withNull = new ArrayList<>(Arrays.asList(Toleration.exists("k", "NoExecute"), null));
    List<Toleration> empty = new ArrayList<>();

    assertThat(SharedLists.share((List<Toleration>) null)).isNull();
    assertThat(SharedLists.share(empty)).isSameAs(empty);
    assertThat(SharedLists.share(withNull)).isSameAs(withNull);
    List<Toleration> shared = SharedLists.share(List.of(Toleration.exists("k", "NoExecute")));
    assertThatThrownBy(() -> shared.add(null)).isInstanceOf(UnsupportedOperationException.class);
  }
}
