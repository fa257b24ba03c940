package io.daemonset.daemonset;

import io.daemonset.model.Cause;
import io.daemonset.model.ObjectMeta;
import io.daemonset.model.Pod;
import io.daemonset.node.NodeEntity;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The DaemonSet's side of the binding protocol alone: when a step counts as in flight, and so is not sent again. */
class NodeLinkTest {
  static ActorTestKit testKit;
  static final Cause CAUSE = Cause.byController(Instant.parse("2026-12-03T14:00:00Z"), "admit");
  static final PodBinding BINDING = new PodBinding("logs-abcde", "uid-1", "n1", "ds-uid", "h1",
      PodBinding.Phase.SCHEDULED, null, null, CAUSE.at(), null);

  /** Created here, not in a static initializer, so that surefire's rerun of a failed test gets a live system. */
  @BeforeAll
  static void startKit() {
    testKit = ActorTestKit.create();
  }

  @AfterAll
  static void shutdown() {
    testKit.shutdownTestKit();
  }

  /**
   * An entity whose reconcile decided an admission persists it, then sends it. An answer that comes while the next
   * round is being written waits (stashed) for that round's end, and that round's steps were decided before it: the
   * admission is then not asked again, until a reconcile has taken the answer in. Before, every pod answered during a
   * DaemonSet's write was asked, rendered and answered a second time (a third of a 300-node converge's answers).
   * Here: {@code Reconcile} stands for "the round's steps are sent again", {@code SendDeferred} for "a reconcile took
   * the facts in".
   */
  @Test
  void anAnsweredAdmissionIsNotAskedAgainBeforeAReconcileTookTheAnswerIn() {
    TestProbe<NodeEntity.Command> n1 = testKit.createTestProbe();
    TestProbe<DaemonSetEntity.Fact> facts = testKit.createTestProbe();
    Behavior<DaemonSetEntity.Command> entity = Behaviors.setup(ctx -> {
      NodeLink link = new NodeLink(name -> n1.ref(), "default", Duration.ofSeconds(10), new NodeWriteBudget(100));
      Runnable admit = () -> link.admit(ctx, BINDING, () -> new Pod("v1", "Pod",
          ObjectMeta.named("default", BINDING.podName()), null, null), null, CAUSE);
      admit.run();
      List<DaemonSetEntity.Fact> taken = new java.util.ArrayList<>();
      return Behaviors.receiveMessage(cmd -> {
        if (cmd instanceof DaemonSetEntity.AdmitAnswered answer) {
          taken.add(answer);
          facts.ref().tell(answer);
        } else if (cmd == DaemonSetEntity.Reconcile.INSTANCE) {
          admit.run();
        } else if (cmd == DaemonSetEntity.SendDeferred.INSTANCE) {
          link.consumed(taken);
          admit.run();
        }
        return Behaviors.same();
      });
    });
    var ref = testKit.spawn(entity);
    NodeEntity.AdmitPod asked = n1.expectMessageClass(NodeEntity.AdmitPod.class, Duration.ofSeconds(5));
    asked.replyTo().tell(new NodeEntity.AdmitResult("default/" + BINDING.podName(), true, "admitted"));
    facts.expectMessageClass(DaemonSetEntity.AdmitAnswered.class, Duration.ofSeconds(5));

    ref.tell(DaemonSetEntity.Reconcile.INSTANCE);
    n1.expectNoMessage(Duration.ofMillis(500));

    // once taken in, a step still decided is a step to send (here: the same admission, as a later round would)
    ref.tell(DaemonSetEntity.SendDeferred.INSTANCE);
    n1.expectMessageClass(NodeEntity.AdmitPod.class, Duration.ofSeconds(5));
  }
}
