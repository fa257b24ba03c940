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
 * <p>What changed is found by comparing: the bindings, the fleet's nodes and the eligibility answers of this view are
 * compared with the current ones in one ordered walk over both (all three are sorted by name), object identity first;
 * a map the view was built from is itself skipped at once, and when the view reflects the very bindings a round's
 * events were applied to, only the bindings those events name are compared ({@link #withEvents},
 * {@link DaemonSetState#podsChangedBy}); likewise only the nodes a {@link FleetDelta} counted from this view's fleet
 * names, and only the answers {@link Eligibilities} says it changed from this view's. Persistent maps
 * share every unchanged entry, so a walk finds the few changed ones at the cost of following pointers, and a
 * reconcile in which nothing changed costs nothing here. The views are derived (not persisted): a fresh one
 * ({@link #NONE}) gives the same answers, and so does a reconcile from {@link #FULL}, which takes no shortcut; the
 * table tests compare with it on every round.
 *
 * <p>Beside the views they keep what lets a round read only what is not settled: the unsettled bindings
 * ({@link Unsettled}) and the node views that are not {@link #quiet}, with the count of the quiet ones that run their
 * pod ({@link ReconcileStep#quietSkipped}).
 *
 * @param uid the incarnation the bindings were sorted for (its pods are "own"); null before any
 * @param bindings the state's bindings this view reflects
 * @param fleetNodes the fleet's nodes this view reflects
 * @param bindingsByNode every binding (any incarnation, any phase), by node, then pod name
 * @param missing nodes with bindings that the fleet does not list (the fleet is then incomplete)
 * @param eligibility the answers the node views were built with; null when none were built yet
 * @param byNode the node views, for every node of {@code eligibility}, in name order
 * @param list the node views of {@code byNode} as a list, made once per change when first read
 * @param stale nodes whose view must be built again before it is read
 * @param unsettled the bindings that are not settled, and the revisions of the own ones ({@link Unsettled}); null in
 *     views that derive from {@link #FULL}
 * @param active the node views that are not quiet ({@link #quiet}), in name order
 * @param quietRunning how many node views are quiet and run their one pod
 */
record NodeViews(String uid, Map<String, PodBinding> bindings, Map<String, Node> fleetNodes,
                 PMap<String, PSortedMap<String, PodBinding>> bindingsByNode, Set<String> missing,
                 Map<String, Eligibility> eligibility, PSortedMap<String, NodePods> byNode, Listed list,
                 Set<String> stale, Unsettled unsettled, PSortedMap<String, NodePods> active, int quietRunning) {

  static final NodeViews NONE = new NodeViews(null, null, null, HashTreePMap.empty(), Set.of(), null,
      TreePMap.empty(), new Listed(List.of()), Set.of(), Unsettled.EMPTY, TreePMap.empty(), 0);

  /**
   * Views that keep no index of the unsettled bindings, so that a reconcile given them plans on every node and walks
   * every binding: the full computation the tests compare the carried path with (a reconcile from {@link #NONE} may
   * take every shortcut as soon as its views are built).
   */
  static final NodeViews FULL = new NodeViews(null, null, null, HashTreePMap.empty(), Set.of(), null,
      TreePMap.empty(), new Listed(List.of()), Set.of(), null, TreePMap.empty(), 0);

  /** A node view that has nothing to plan: it runs one settled pod ({@link #RUNNING}), or wants none and has none. */
  static final int ACTIVE = 0;
  static final int RUNNING = 1;
  static final int IDLE = 2;

  /** The full build, for callers that carry no view ({@code RolloutPreview}). */
  static List<NodePods> of(DaemonSetState state, Map<String, Eligibility> eligibility, Fleet fleet) {
    return NONE.withBindings(state, fleet).judged(eligibility, fleet).nodes();
  }

  /** The node views in name order, for the planner and the status. */
  List<NodePods> nodes() {
    if (!stale.isEmpty()) {
      throw new IllegalStateException("node views read before they were judged: " + stale);
    }
    return list.get();
  }

  /** Whether these views reflect the state's very bindings, so that {@link #unsettled} is the state's. */
  boolean reflects(DaemonSetState state) {
    return unsettled != null && bindings == state.bindings() && Objects.equals(uid, state.uid());
  }

  /**
   * The node views that are not quiet, in name order: what the planner and the status must see when every quiet one
   * is known to change nothing ({@link ReconcileStep#planned}).
   */
  List<NodePods> activeNodes() {
    if (!stale.isEmpty()) {
      throw new IllegalStateException("node views read before they were judged: " + stale);
    }
    return List.copyOf(active.values());
  }

  /**
   * Quiet: a node whose view no decision of a round can touch while the DaemonSet uses no rollout control, waits no
   * minReadySeconds and has no pod of another revision. RUNNING: it exists, should run the pod and runs exactly one,
   * Ready, not being deleted, neither failed nor succeeded (the planner's manage keeps it as it is, and with no old
   * pod anywhere the rolling update replaces nothing); IDLE: it exists, may not run the pod and has none (nothing to
   * create or delete, nothing counted). A quiet node counts in the status as exactly that: RUNNING adds one to
   * desired, current, ready, available and updated; IDLE adds nothing.
   */
  static int quiet(NodePods view) {
    if (!view.exists()) {
      return ACTIVE;
    }
    List<PodInfo> pods = view.pods();
    if (view.shouldRun()) {
      if (pods.size() != 1) {
        return ACTIVE;
      }
      PodInfo pod = pods.get(0);
      return pod.ready() && !pod.deleting() && !pod.failed() && !pod.succeeded() ? RUNNING : ACTIVE;
    }
    return !view.shouldContinueRunning() && pods.isEmpty() ? IDLE : ACTIVE;
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
    return withEvents(before, events, after, fleet, FleetDelta.UNKNOWN);
  }

  /** {@link #withEvents(DaemonSetState, List, DaemonSetState, Fleet)}, the fleet compared where the delta says. */
  NodeViews withEvents(DaemonSetState before, List<DaemonSetEntity.Event> events, DaemonSetState after, Fleet fleet,
                       FleetDelta delta) {
    if (bindings != before.bindings() || !Objects.equals(uid, after.uid())) {
      return withBindings(after, fleet, null, delta);
    }
    Set<String> named = new HashSet<>();
    for (DaemonSetEntity.Event e : events) {
      java.util.Collection<String> pods = DaemonSetState.podsChangedBy(e);
      if (pods == null) {
        return withBindings(after, fleet, null, delta);
      }
      named.addAll(pods);
    }
    return withBindings(after, fleet, named, delta);
  }

  /** This view brought up to the state's bindings and the fleet's nodes (node views to build marked stale). */
  NodeViews withBindings(DaemonSetState state, Fleet fleet) {
    return withBindings(state, fleet, null, FleetDelta.UNKNOWN);
  }

  /**
   * named: every pod whose binding may differ between this view's bindings and the state's, or null if unknown.
   * delta: where the fleet may differ from the one this view reflects, when it was counted from that one.
   */
  private NodeViews withBindings(DaemonSetState state, Fleet fleet, Set<String> named, FleetDelta delta) {
    if (!Objects.equals(uid, state.uid()) || bindings == null) {
      return fresh(state, fleet, unsettled != null);
    }
    if (bindings == state.bindings() && fleetNodes == fleet.nodes()) {
      return this;
    }
    Set<String> touched = new HashSet<>(stale);
    PMap<String, PSortedMap<String, PodBinding>> index = bindingsByNode;
    Unsettled open = unsettled;
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
        open = open == null ? null : open.changed(was, now, uid);
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
      Set<String> maybe = delta.from(fleetNodes);
      if (maybe == null) {
        Changed<Node> changed = new Changed<>();
        walk(fleetNodes, fleet.nodes(), changed);
        touched.addAll(changed.names);
      } else {
        for (String name : maybe) {
          Node was = fleetNodes.get(name);
          Node now = fleet.nodes().get(name);
          if (was != now && (was == null || !was.equals(now))) {
            touched.add(name);
          }
        }
      }
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
        list, Set.copyOf(touched), open, active, quietRunning);
  }

  /** The node views built again where stale or where the eligibility answer changed. */
  NodeViews judged(Map<String, Eligibility> answers, Fleet fleet) {
    return judged(answers, null, null, fleet);
  }

  /**
   * {@link #judged(Map, Fleet)} with the judgement: when its answers were derived from the ones these views were
   * built with, only the names it says changed are built again, not found by a walk of both maps.
   */
  NodeViews judged(Eligibilities judgement, Fleet fleet) {
    return judged(judgement.byNode(), judgement.judgedFrom(), judgement.changed(), fleet);
  }

  private NodeViews judged(Map<String, Eligibility> answers, Map<String, Eligibility> answersFrom,
                           Set<String> answersChanged, Fleet fleet) {
    if (answers == eligibility && stale.isEmpty()) {
      return this;
    }
    Set<String> rebuild = new HashSet<>(stale);
    if (eligibility == null) {
      rebuild.addAll(answers.keySet());
      rebuild.addAll(byNode.keySet());
    } else if (answers != eligibility && answersFrom == eligibility && answersChanged != null) {
      rebuild.addAll(answersChanged);
    } else if (answers != eligibility) {
      Changed<Eligibility> changed = new Changed<>();
      walk(eligibility, answers, changed);
      rebuild.addAll(changed.names);
    }
    PSortedMap<String, NodePods> views = byNode;
    PSortedMap<String, NodePods> nowActive = active;
    int running = quietRunning;
    for (String name : rebuild) {
      Eligibility e = answers.get(name);
      NodePods was = views.get(name);
      NodePods now = e == null ? null : view(name, e, fleet.get(name));
      views = now == null ? views.minus(name) : views.plus(name, now);
      if (was != null) {
        int kind = quiet(was);
        running -= kind == RUNNING ? 1 : 0;
        nowActive = kind == ACTIVE ? nowActive.minus(name) : nowActive;
      }
      if (now != null) {
        int kind = quiet(now);
        running += kind == RUNNING ? 1 : 0;
        nowActive = kind == ACTIVE ? nowActive.plus(name, now) : nowActive;
      }
    }
    return new NodeViews(uid, bindings, fleetNodes, bindingsByNode, missing, answers, views,
        views == byNode ? list : new Listed(views.values()), Set.of(), unsettled, nowActive, running);
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

  private static NodeViews fresh(DaemonSetState state, Fleet fleet, boolean indexed) {
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
        TreePMap.empty(), new Listed(List.of()), Set.of(),
        indexed ? Unsettled.of(state.bindings().values(), state.uid()) : null,
        TreePMap.empty(), 0);
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

  /**
   * The node views as one list, made when first read: copying 5,000 views into a list for every round that changed
   * one was a tenth of a join round's time at 5,000 nodes, and a round that plans on the changed nodes alone never
   * reads it. Not synchronized: a reconcile runs on one thread, and a list made twice is the same list.
   */
  static final class Listed {
    private final java.util.Collection<NodePods> views;
    private List<NodePods> list;

    Listed(java.util.Collection<NodePods> views) {
      this.views = views;
    }

    List<NodePods> get() {
      List<NodePods> made = list;
      if (made == null) {
        made = List.copyOf(views);
        list = made;
      }
      return made;
    }
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
