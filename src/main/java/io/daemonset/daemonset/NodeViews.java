package io.daemonset.daemonset;

import io.daemonset.model.Node;
import io.daemonset.node.Fleet;
import io.daemonset.placement.Eligibility;
import io.daemonset.rollout.NodePods;
import io.daemonset.rollout.PodInfo;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedMap;
import org.pcollections.HashTreePMap;
import org.pcollections.PMap;
import org.pcollections.PSortedMap;
import org.pcollections.TreePMap;

/**
 * Every node of the fleet as the planner sees it ({@link NodePods}: its eligibility, readiness and this DaemonSet's
 * pods on it), carried from one reconcile to the next so that only the nodes whose inputs changed are built again.
 * Before, each reconcile grouped all 5,000 bindings by node and built 5,000 NodePods, twice (plan and status).
 *
 * <p>What changed is found by comparing, never assumed from {@link Changes}: the bindings, the fleet's nodes and the
 * eligibility answers of this view are compared with the current ones in one ordered walk over both (all three are
 * sorted by name), object identity first; a map the view was built from is itself skipped at once, and when the view
 * reflects the very bindings a round's events were applied to, only the bindings those events name are compared
 * ({@link #withEvents}, {@link DaemonSetState#podsChangedBy}). Persistent maps
 * share every unchanged entry, so a walk finds the few changed ones at the cost of following pointers, and a
 * reconcile in which nothing changed costs nothing here. The views are derived (not persisted): a fresh one
 * ({@link #NONE}) gives the same answers, which the table tests check on every round.
 *
 * @param uid the incarnation the bindings were sorted for (its pods are "own"); null before any
 * @param bindings the state's bindings this view reflects
 * @param fleetNodes the fleet's nodes this view reflects
 * @param bindingsByNode every binding (any incarnation, any phase), by node, then pod name
 * @param missing nodes with bindings that the fleet does not list (the fleet is then incomplete)
 * @param eligibility the answers the node views were built with; null when none were built yet
 * @param byNode the node views, for every node of {@code eligibility}, in name order
 * @param list the node views of {@code byNode} as a list, built once per change
 * @param stale nodes whose view must be built again before it is read
 */
record NodeViews(String uid, Map<String, PodBinding> bindings, Map<String, Node> fleetNodes,
                 PMap<String, PSortedMap<String, PodBinding>> bindingsByNode, Set<String> missing,
                 Map<String, Eligibility> eligibility, PSortedMap<String, NodePods> byNode, List<NodePods> list,
                 Set<String> stale) {

  static final NodeViews NONE = new NodeViews(null, null, null, HashTreePMap.empty(), Set.of(), null,
      TreePMap.empty(), List.of(), Set.of());

  /** The full build, for callers that carry no view ({@code RolloutPreview}). */
  static List<NodePods> of(DaemonSetState state, Map<String, Eligibility> eligibility, Fleet fleet) {
    return NONE.withBindings(state, fleet).judged(eligibility, fleet).nodes();
  }

  /** The node views in name order, for the planner and the status. */
  List<NodePods> nodes() {
    if (!stale.isEmpty()) {
      throw new IllegalStateException("node views read before they were judged: " + stale);
    }
    return list;
  }

  /** Every node this DaemonSet has pods on is listed by the fleet. */
  boolean bindingsAllListed() {
    return missing.isEmpty();
  }

  /**
   * This view brought up to {@code after}, the state {@code events} made of {@code before}: when the view reflects
   * {@code before}'s bindings (the same map) and every event names the bindings it changes, only those are compared;
   * otherwise the bindings are compared in full.
   */
  NodeViews withEvents(DaemonSetState before, List<DaemonSetEntity.Event> events, DaemonSetState after, Fleet fleet) {
    if (bindings != before.bindings() || !Objects.equals(uid, after.uid())) {
      return withBindings(after, fleet, null);
    }
    Set<String> named = new HashSet<>();
    for (DaemonSetEntity.Event e : events) {
      java.util.Collection<String> pods = DaemonSetState.podsChangedBy(e);
      if (pods == null) {
        return withBindings(after, fleet, null);
      }
      named.addAll(pods);
    }
    return withBindings(after, fleet, named);
  }

  /** This view brought up to the state's bindings and the fleet's nodes (node views to build marked stale). */
  NodeViews withBindings(DaemonSetState state, Fleet fleet) {
    return withBindings(state, fleet, null);
  }

  /** named: every pod whose binding may differ between this view's bindings and the state's, or null if unknown. */
  private NodeViews withBindings(DaemonSetState state, Fleet fleet, Set<String> named) {
    if (!Objects.equals(uid, state.uid()) || bindings == null) {
      return fresh(state, fleet);
    }
    if (bindings == state.bindings() && fleetNodes == fleet.nodes()) {
      return this;
    }
    Set<String> touched = new HashSet<>(stale);
    PMap<String, PSortedMap<String, PodBinding>> index = bindingsByNode;
    if (bindings != state.bindings()) {
      Changed<PodBinding> changed = new Changed<>();
      if (named == null) {
        walk(bindings, state.bindings(), changed);
      } else {
        for (String pod : named) {
          PodBinding was = bindings.get(pod);
          PodBinding now = state.bindings().get(pod);
          if (was != now && !Objects.equals(was, now)) {
            changed.add(pod, was, now);
          }
        }
      }
      for (int i = 0; i < changed.names.size(); i++) {
        PodBinding was = changed.before.get(i);
        PodBinding now = changed.after.get(i);
        if (was != null) {
          index = without(index, was);
          touched.add(was.nodeName());
        }
        if (now != null) {
          index = with(index, now);
          touched.add(now.nodeName());
        }
      }
    }
    if (fleetNodes != fleet.nodes()) {
      Changed<Node> changed = new Changed<>();
      walk(fleetNodes, fleet.nodes(), changed);
      touched.addAll(changed.names);
    }
    Set<String> stillMissing = new HashSet<>(missing);
    for (String node : touched) {
      if (index.containsKey(node) && !fleet.contains(node)) {
        stillMissing.add(node);
      } else {
        stillMissing.remove(node);
      }
    }
    return new NodeViews(uid, state.bindings(), fleet.nodes(), index, Set.copyOf(stillMissing), eligibility, byNode,
        list, Set.copyOf(touched));
  }

  /** The node views built again where stale or where the eligibility answer changed. */
  NodeViews judged(Map<String, Eligibility> answers, Fleet fleet) {
    if (answers == eligibility && stale.isEmpty()) {
      return this;
    }
    Set<String> rebuild = new HashSet<>(stale);
    if (eligibility == null) {
      rebuild.addAll(answers.keySet());
      rebuild.addAll(byNode.keySet());
    } else if (answers != eligibility) {
      Changed<Eligibility> changed = new Changed<>();
      walk(eligibility, answers, changed);
      rebuild.addAll(changed.names);
    }
    PSortedMap<String, NodePods> views = byNode;
    for (String name : rebuild) {
      Eligibility e = answers.get(name);
      views = e == null ? views.minus(name) : views.plus(name, view(name, e, fleet.get(name)));
    }
    return new NodeViews(uid, bindings, fleetNodes, bindingsByNode, missing, answers, views,
        views == byNode ? list : List.copyOf(views.values()), Set.of());
  }

  private NodePods view(String name, Eligibility e, Node node) {
    List<PodInfo> pods = new ArrayList<>(1);
    PSortedMap<String, PodBinding> onNode = bindingsByNode.get(name);
    if (onNode != null) {
      for (PodBinding b : onNode.values()) {
        if (!b.ownerUid().equals(uid) || b.phase() == PodBinding.Phase.ORPHAN_REQUESTED) {
          continue; // another incarnation's, or released (being orphaned): upstream counts it nowhere
        }
        pods.add(new PodInfo(b.podName(), b.revisionHash(), b.createdAt(), b.readySince() != null, b.readySince(),
            b.isBeingDeleted(), b.podPhase(), b.readySince() != null ? null : b.waitingReason()));
      }
    }
    return new NodePods(name, true, e.shouldRun(), e.shouldContinueRunning(), e.reason(), pods,
        ReconcileStep.nodeReady(node));
  }

  private static NodeViews fresh(DaemonSetState state, Fleet fleet) {
    PMap<String, PSortedMap<String, PodBinding>> index = HashTreePMap.empty();
    for (PodBinding b : state.bindings().values()) {
      index = with(index, b);
    }
    Set<String> missing = new HashSet<>();
    for (String node : index.keySet()) {
      if (!fleet.contains(node)) {
        missing.add(node);
      }
    }
    return new NodeViews(state.uid(), state.bindings(), fleet.nodes(), index, Set.copyOf(missing), null,
        TreePMap.empty(), List.of(), Set.of());
  }

  private static PMap<String, PSortedMap<String, PodBinding>> with(PMap<String, PSortedMap<String, PodBinding>> index,
                                                                   PodBinding b) {
    PSortedMap<String, PodBinding> onNode = index.get(b.nodeName());
    return index.plus(b.nodeName(), (onNode == null ? TreePMap.<String, PodBinding>empty() : onNode)
        .plus(b.podName(), b));
  }

  private static PMap<String, PSortedMap<String, PodBinding>> without(
      PMap<String, PSortedMap<String, PodBinding>> index, PodBinding b) {
    PSortedMap<String, PodBinding> onNode = index.get(b.nodeName());
    if (onNode == null) {
      return index;
    }
    PSortedMap<String, PodBinding> left = onNode.minus(b.podName());
    return left.isEmpty() ? index.minus(b.nodeName()) : index.plus(b.nodeName(), left);
  }

  /** The keys added, removed or whose value changed, with the value before and after (null: absent). */
  static final class Changed<V> {
    final List<String> names = new ArrayList<>();
    final List<V> before = new ArrayList<>();
    final List<V> after = new ArrayList<>();

    void add(String name, V was, V now) {
      names.add(name);
      before.add(was);
      after.add(now);
    }
  }

  /**
   * Compares two maps by name: in one ordered walk when both are sorted by the names' natural order (the state's
   * bindings, the directory's nodes, the eligibility answers), else by lookups. Identical values are skipped without
   * comparing them; equal ones are not reported either.
   */
  static <V> void walk(Map<String, V> before, Map<String, V> after, Changed<V> out) {
    if (before == after) {
      return;
    }
    if (!naturallySorted(before) || !naturallySorted(after)) {
      after.forEach((name, now) -> {
        V was = before.get(name);
        if (was != now && !Objects.equals(was, now)) {
          out.add(name, was, now);
        }
      });
      before.forEach((name, was) -> {
        if (!after.containsKey(name)) {
          out.add(name, was, null);
        }
      });
      return;
    }
    Iterator<Map.Entry<String, V>> a = before.entrySet().iterator();
    Iterator<Map.Entry<String, V>> b = after.entrySet().iterator();
    Map.Entry<String, V> x = a.hasNext() ? a.next() : null;
    Map.Entry<String, V> y = b.hasNext() ? b.next() : null;
    while (x != null || y != null) {
      int order = x == null ? 1 : y == null ? -1 : x.getKey().equals(y.getKey()) ? 0
          : x.getKey().compareTo(y.getKey());
      if (order < 0) {
        out.add(x.getKey(), x.getValue(), null);
        x = a.hasNext() ? a.next() : null;
      } else if (order > 0) {
        out.add(y.getKey(), null, y.getValue());
        y = b.hasNext() ? b.next() : null;
      } else {
        if (x.getValue() != y.getValue() && !Objects.equals(x.getValue(), y.getValue())) {
          out.add(x.getKey(), x.getValue(), y.getValue());
        }
        x = a.hasNext() ? a.next() : null;
        y = b.hasNext() ? b.next() : null;
      }
    }
  }

  private static boolean naturallySorted(Map<String, ?> map) {
    if (!(map instanceof SortedMap<String, ?> sorted)) {
      return false;
    }
    Comparator<?> order = sorted.comparator();
    return order == null || order == Comparator.naturalOrder();
  }
}
