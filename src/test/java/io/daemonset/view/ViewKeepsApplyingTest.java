package io.daemonset.view;

import static org.assertj.core.api.Assertions.assertThat;

import io.daemonset.model.Cause;
import io.daemonset.model.Node;
import io.daemonset.model.ObjectMeta;
import io.daemonset.model.PodStatus;
import io.daemonset.node.NodeEntity;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Nothing one row brings may stop the view applying the rows after it: a throw used to end the tail's read, and the
 * rest of that read was lost to this view and to every snapshot it wrote (ClusterFaultsIT's missing pods after a
 * full restart: a watch whose client had gone threw from the view's lock).
 */
class ViewKeepsApplyingTest {
  private static final Cause CAUSE = Cause.byUser(Instant.now(), "t", "test");
  private final ClusterView view = new ClusterView(new ObjectIndex(), ClusterView.Window.DEFAULT, Runnable::run);

  private void register(long ordering, String node) {
    Node object = new Node("v1", Node.KIND, ObjectMeta.named(null, node), null, null);
    view.apply("Node|" + node, ordering, 1, new NodeEntity.NodeRegistered(object, CAUSE), new ArrayList<>());
  }

  @Test
  void aWatcherThatThrowsIsDropped_theOtherWatchersAndTheIndexGetEveryChange() {
    List<String> seen = new ArrayList<>();
    List<String> failing = new ArrayList<>();
    view.subscribe(0, change -> {
      failing.add(change.name());
      throw new IllegalStateException("The queue has already been completed.");
    });
    view.subscribe(0, change -> seen.add(change.name()));

    register(1, "a");
    register(2, "b");

    assertThat(failing).containsExactly("a");
    assertThat(seen).containsExactly("a", "b");
    assertThat(view.index().get(ObjectIndex.NODES, null, "b")).isPresent();
    assertThat(view.resourceVersion()).isEqualTo(2);
    assertThat(view.divergent()).as("a broken watch changes nothing the view holds").isFalse();
  }

  @Test
  void aDroppedWatcherThatServesSomeoneIsToldOnce_soItCanEndItsStream() {
    List<String> told = new ArrayList<>();
    view.subscribe(0, ClusterView.watcher(change -> {
      throw new IllegalStateException("broken");
    }, cause -> told.add(cause.getMessage())));

    register(1, "a");
    register(2, "b");

    assertThat(told).containsExactly("broken");
  }

  @Test
  void anEventTheIndexCannotApplyIsPassedOver_theNextRowsStillApply() {
    register(1, "a");
    // a status for a pod node "a" never admitted: the node's event handler cannot apply it
    view.apply("Node|a", 2, 2, new NodeEntity.PodStatusUpdated("default/ghost", PodStatus.pending(), CAUSE), new ArrayList<>());
    register(3, "b");

    assertThat(view.index().get(ObjectIndex.NODES, null, "b")).isPresent();
    assertThat(view.resourceVersion()).isEqualTo(3);
    assertThat(view.divergent()).as("it writes no snapshot for the other members to start from").isTrue();
  }
}
