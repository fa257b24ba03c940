package io.daemonset.daemonset;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The member-wide bound on the writes DaemonSets ask of nodes, and how it is shared. */
class NodeWriteBudgetTest {
  static final long T0 = 1_000_000_000_000L;
  static final long MS = 1_000_000L;

  @Test
  void aLoneSenderMayUseTheWholeCapacityAndNoMore() {
    NodeWriteBudget budget = new NodeWriteBudget(40);
    Object a = new Object();
    int held = acquireAll(budget, a, 0, T0);
    assertThat(held).isEqualTo(40);
    assertThat(budget.inUse()).isEqualTo(40);
    budget.release();
    assertThat(budget.tryAcquire(a, 39, T0 + MS)).as("a released permit is free again").isTrue();
  }

  @Test
  void activeSendersShareTheCapacity() {
    NodeWriteBudget budget = new NodeWriteBudget(64);
    Object a = new Object();
    Object b = new Object();
    assertThat(budget.tryAcquire(b, 0, T0)).isTrue(); // b is active: two share 64
    assertThat(acquireAll(budget, a, 0, T0)).as("a's share: 64 / 2").isEqualTo(32);
    assertThat(acquireAll(budget, b, 1, T0)).as("b's share, beyond the one it held").isEqualTo(31);
  }

  @Test
  void aShareIsNeverLessThanTheMinimumButTheCapacityStillHolds() {
    NodeWriteBudget budget = new NodeWriteBudget(40);
    List<Object> senders = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      senders.add(new Object());
      budget.tryAcquire(senders.get(i), Integer.MAX_VALUE, T0); // asked, got nothing: active
    }
    assertThat(acquireAll(budget, senders.get(0), 0, T0)).as("40 / 10 = 4, raised to the minimum share")
        .isEqualTo(NodeWriteBudget.MIN_SHARE);
    assertThat(acquireAll(budget, senders.get(1), 0, T0)).isEqualTo(NodeWriteBudget.MIN_SHARE);
    assertThat(acquireAll(budget, senders.get(2), 0, T0)).as("what is left of the capacity")
        .isEqualTo(40 - 2 * NodeWriteBudget.MIN_SHARE);
  }

  @Test
  void aSenderThatStoppedAskingNoLongerCountsAfterASecond() {
    NodeWriteBudget budget = new NodeWriteBudget(64);
    Object gone = new Object();
    Object a = new Object();
    budget.tryAcquire(gone, 0, T0);
    budget.release();
    assertThat(acquireAll(budget, a, 0, T0 + 500 * MS)).as("two active").isEqualTo(32);
    assertThat(acquireAll(budget, a, 32, T0 + 1_200 * MS)).as("alone again: the rest of the capacity").isEqualTo(32);
  }

  @Test
  void aCapacityBelowOneIsRefused() {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> new NodeWriteBudget(0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("node-writes-in-flight");
  }

  private static int acquireAll(NodeWriteBudget budget, Object sender, int held, long now) {
    int got = 0;
    while (budget.tryAcquire(sender, held + got, now)) {
      got++;
    }
    return got;
  }
}
