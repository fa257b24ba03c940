package io.daemonset.daemonset;

import io.daemonset.model.Cause;
import io.daemonset.model.LabelSelector;
import io.daemonset.model.Pod;
import java.util.function.Supplier;

/** A message to a node, sent after the reconcile's events are persisted (and re-sent until acknowledged). */
public sealed interface NodeStep {
  PodBinding binding();

  Cause cause();

  /**
   * claimSelector: the node adopts a matching orphan instead, if it holds one (upstream's ClaimPods). The pod is
   * rendered when first asked for: every reconcile lists the admissions not yet answered, and most of them are in
   * flight or waiting for a permit, so rendering each one every round was wasted work.
   */
  record Admit(PodBinding binding, Supplier<Pod> rendering, LabelSelector claimSelector, Cause cause)
      implements NodeStep {
    public Admit {
      rendering = once(rendering);
    }

    public Admit(PodBinding binding, Pod pod, LabelSelector claimSelector, Cause cause) {
      this(binding, () -> pod, claimSelector, cause);
    }

    public Pod pod() {
      return rendering.get();
    }

    private static Supplier<Pod> once(Supplier<Pod> rendering) {
      return new Supplier<>() {
        private Pod pod;

        @Override
        public Pod get() {
          if (pod == null) {
            pod = rendering.get();
          }
          return pod;
        }
      };
    }
  }

  record Delete(PodBinding binding, Cause cause) implements NodeStep {}

  record Orphan(PodBinding binding, Cause cause) implements NodeStep {}

  /** Set the pod's controller-revision-hash label to the binding's hash (upstream dedupCurHistories' relabel). */
  record Relabel(PodBinding binding, Cause cause) implements NodeStep {}
}
