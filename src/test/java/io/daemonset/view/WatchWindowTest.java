package io.daemonset.view;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.daemonset.model.Cause;
import io.daemonset.model.Node;
import io.daemonset.model.ObjectMeta;
import io.daemonset.node.NodeEntity;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The watch window keeps changes by age, not by a count that one rollout of a large fleet exceeds. */
class WatchWindowTest {
  private final AtomicLong ordering = new AtomicLong();

  private void register(ClusterView view, String node) {
    long rv = ordering.incrementAndGet();
    Node object = new Node("v1", Node.KIND, ObjectMeta.named(null, node), null, null);
    view.apply("Node|" + node, rv, 1, new NodeEntity.NodeRegistered(object, Cause.byUser(Instant.now(), "t", "test")),
        new ArrayList<>());
  }

  @Test
  void aWatchResumesFromAnyChangeOfTheLastSeconds_evenAfterMoreChangesThanTheOldCountWindow() {
    ClusterView view = new ClusterView(new ObjectIndex(), ClusterView.Window.DEFAULT, Runnable::run);
    for (int i = 1; i <= 30_000; i++) {
      register(view, "node-" + i);
    }
    List<WatchEvent> replayed = new ArrayList<>();
    ClusterView.Subscription subscription = view.subscribe(1, replayed::add);
    assertThat(subscription.gone()).isFalse();
    assertThat(replayed).hasSize(29_999);
    assertThat(replayed.get(0).name()).isEqualTo("node-2");
  }

  @Test
  void changesOlderThanTheWindowAreGone() {
    ClusterView view = new ClusterView(new ObjectIndex(), new ClusterView.Window(Duration.ofMillis(200), 1_000), Runnable::run);
    register(view, "a");
    register(view, "b");
    assertThat(view.subscribe(1, change -> { }).gone()).isFalse();
    // the window is trimmed as changes arrive: keep changing until the first ones have aged out
    await().atMost(Duration.ofSeconds(10)).until(() -> {
      register(view, "n-" + ordering.get());
      return view.subscribe(1, change -> { }).gone();
    });
    assertThat(view.subscribe(ordering.get() - 1, change -> { }).gone()).isFalse();
  }

  @Test
  void aMemoryCapStillBoundsTheWindow() {
    ClusterView view = new ClusterView(new ObjectIndex(), new ClusterView.Window(Duration.ofMinutes(5), 100), Runnable::run);
    for (int i = 1; i <= 150; i++) {
      register(view, "node-" + i);
    }
    assertThat(view.subscribe(10, change -> { }).gone()).isTrue();
    assertThat(view.subscribe(60, change -> { }).gone()).isFalse();
  }
}
