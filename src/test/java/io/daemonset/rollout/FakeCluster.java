package io.daemonset.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import io.daemonset.model.DaemonSetUpdateStrategy;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.BiPredicate;
import java.util.function.Predicate;

/**
 * The test's stand-in for upstream's fake pod control and informer stores: it holds nodes and pods,
 * plans, and applies a plan at once (a deleted pod disappears, a created pod appears not ready), so
 * that upstream's expectSyncDaemonSets sequences can be replayed step by step.
 */
final class FakeCluster {

  static final Instant T0 = Instant.ofEpochSecond(1_000);

  record Eligibility(boolean exists, boolean shouldRun, boolean shouldContinueRunning, String detail) {}

  private final Map<String, Eligibility> nodes = new LinkedHashMap<>();
  private final Map<String, List<PodInfo>> pods = new HashMap<>();
  private Map<String, Backoff> backoffs = Map.of();
  private int seq;
  Instant now = T0;
  String hash = "h1";
  DaemonSetUpdateStrategy strategy;
  int minReadySeconds;
  RolloutControls controls = RolloutControls.NONE;
  RolloutPlan lastPlan;

  FakeCluster(DaemonSetUpdateStrategy strategy) {
    this.strategy = strategy;
  }

  /** upstream addNodes: node-i for i in [from, from+count), all eligible. */
  FakeCluster addNodes(int from, int count) {
    for (int i = from; i < from + count; i++) {
      node("node-" + i, true, true, null);
    }
    return this;
  }

  FakeCluster node(String name, boolean shouldRun, boolean shouldContinueRunning, String detail) {
    nodes.put(name, new Eligibility(true, shouldRun, shouldContinueRunning, detail));
    return this;
  }

  FakeCluster removeNode(String name) {
    nodes.put(name, new Eligibility(false, false, false, null));
    return this;
  }

  /** upstream addPods: {@code count} running, not ready pods of revision {@code revision}. */
  FakeCluster addPods(String node, String revision, int count) {
    for (int i = 0; i < count; i++) {
      addPod(node, new PodInfo(node + "-" + ++seq, revision, now, false, null, false, PodInfo.RUNNING));
    }
    return this;
  }

  FakeCluster addPod(String node, PodInfo pod) {
    pods.computeIfAbsent(node, n -> new ArrayList<>()).add(pod);
    return this;
  }

  /** Every pod on the node gets a deletionTimestamp. */
  FakeCluster terminating(String node) {
    pods.get(node).replaceAll(PodInfo::markedDeleting);
    return this;
  }

  /** Every pod on the node ends in {@code phase}. */
  FakeCluster phase(String node, String phase) {
    pods.get(node).replaceAll(p -> p.withPhase(phase));
    return this;
  }

  FakeCluster at(long epochSecond) {
    now = Instant.ofEpochSecond(epochSecond);
    return this;
  }

  RolloutInput input() {
    List<NodePods> list = new ArrayList<>();
    nodes.forEach((name, e) -> list.add(new NodePods(name, e.exists(), e.shouldRun(), e.shouldContinueRunning(),
        e.detail(), pods.getOrDefault(name, List.of()))));
    pods.keySet().stream().filter(n -> !nodes.containsKey(n)).sorted()
        .forEach(n -> list.add(NodePods.gone(n, pods.get(n))));
    return new RolloutInput(hash, strategy, minReadySeconds, now, list, backoffs, controls);
  }

  /** How many pods (not being deleted) run each revision. */
  Map<String, Long> podsByRevision() {
    Map<String, Long> counts = new java.util.TreeMap<>();
    allPods().stream().filter(p -> !p.deleting())
        .forEach(p -> counts.merge(p.revisionHash(), 1L, Long::sum));
    return counts;
  }

  /** The revision of the pods on a node. */
  List<String> revisionsOn(String node) {
    return pods.getOrDefault(node, List.of()).stream().map(PodInfo::revisionHash).toList();
  }

  /** One sync: plan, apply, and return the plan. */
  RolloutPlan sync() {
    lastPlan = RolloutPlanner.plan(input());
    apply(lastPlan);
    return lastPlan;
  }

  /** upstream expectSyncDaemonSets: one sync with exactly these numbers of creates and deletes. */
  RolloutPlan expectSync(int creates, int deletes) {
    RolloutPlan plan = sync();
    assertThat(plan.creations()).as("creates at %s: %s", now, plan).hasSize(creates);
    assertThat(plan.deletions()).as("deletes at %s: %s", now, plan).hasSize(deletes);
    return plan;
  }

  void apply(RolloutPlan plan) {
    for (PodDeletion d : plan.deletions()) {
      assertThat(pods.getOrDefault(d.nodeName(), List.of()).removeIf(p -> p.name().equals(d.podName())))
          .as("deleted pod %s exists on %s", d.podName(), d.nodeName()).isTrue();
    }
    for (PodCreation c : plan.creations()) {
      addPod(c.nodeName(), new PodInfo(c.nodeName() + "-" + ++seq, c.revisionHash(), now, false, null, false, PodInfo.PENDING));
    }
    backoffs = plan.backoffs();
  }

  /** upstream markPodsReady: every pod not ready yet becomes Ready now. */
  FakeCluster markPodsReady() {
    return setReadiness(true, Integer.MAX_VALUE, p -> true);
  }

  /** upstream setPodReadiness: up to {@code count} pods matching, in node order, change readiness now. */
  FakeCluster setReadiness(boolean ready, int count, Predicate<PodInfo> which) {
    return setReadiness(ready, count, (node, pod) -> which.test(pod));
  }

  FakeCluster setReadiness(boolean ready, int count, BiPredicate<String, PodInfo> which) {
    int left = count;
    for (String node : nodeNames()) {
      List<PodInfo> onNode = pods.getOrDefault(node, List.of());
      for (int i = 0; i < onNode.size() && left > 0; i++) {
        PodInfo p = onNode.get(i);
        if (!p.deleting() && !p.terminal() && p.ready() != ready && which.test(node, p)) {
          onNode.set(i, p.withReadiness(ready, now));
          left--;
        }
      }
    }
    if (count != Integer.MAX_VALUE) {
      assertThat(left).as("could not mark %s pods ready=%s", left, ready).isZero();
    }
    return this;
  }

  /** Rewrites every pod, in node order, given its index in that order (upstream edits its pod store). */
  FakeCluster rewritePods(BiFunction<Integer, PodInfo, PodInfo> rewrite) {
    int index = 0;
    for (String node : nodeNames()) {
      List<PodInfo> onNode = pods.getOrDefault(node, List.of());
      for (int i = 0; i < onNode.size(); i++) {
        onNode.set(i, rewrite.apply(index++, onNode.get(i)));
      }
    }
    return this;
  }

  /** A user deletes a pod (kubectl delete pod): it is gone. */
  FakeCluster deletePod(String node) {
    pods.get(node).remove(0);
    return this;
  }

  List<String> nodeNames() {
    List<String> names = new ArrayList<>(nodes.keySet());
    pods.keySet().stream().filter(n -> !nodes.containsKey(n)).sorted().forEach(names::add);
    return names;
  }

  List<PodInfo> pods(String node) {
    return List.copyOf(pods.getOrDefault(node, List.of()));
  }

  List<PodInfo> allPods() {
    return nodeNames().stream().flatMap(n -> pods(n).stream()).toList();
  }

  boolean isNew(PodInfo pod) {
    return hash.equals(pod.revisionHash());
  }
}
