package io.daemonset.daemonset;

import io.daemonset.model.Cause;
import io.daemonset.model.LabelSelector;
import io.daemonset.model.Pod;

/** A message to a node, sent after the reconcile's events are persisted (and re-sent until acknowledged). */
public sealed interface NodeStep {
  PodBinding binding();

  Cause cause();

  /** claimSelector: the node adopts a matching orphan instead, if it holds one (upstream's ClaimPods). */
  record Admit(PodBinding binding, Pod pod, LabelSelector claimSelector, Cause cause) implements NodeStep {}

  record Delete(PodBinding binding, Cause cause) implements NodeStep {}

  record Orphan(PodBinding binding, Cause cause) implements NodeStep {}

  /** Set the pod's controller-revision-hash label to the binding's hash (upstream dedupCurHistories' relabel). */
  record Relabel(PodBinding binding, Cause cause) implements NodeStep {}
}
