package io.daemonset.daemonset;

import io.daemonset.model.DaemonSet;
import io.daemonset.model.Node;
import io.daemonset.model.PodSpec;
import io.daemonset.node.Fleet;
import io.daemonset.placement.Eligibility;
import io.daemonset.placement.NodeEligibility;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import org.pcollections.PSortedMap;
import org.pcollections.TreePMap;

/**
 * placement's answer for every node of the fleet, carried from one reconcile to the next: a node whose object is the
 * one judged last time (the directory keeps the object of a node that did not change, {@code node.FleetAssembly}) is
 * not judged again while the DaemonSet's pod template is the same. A reconcile of a 5,000-node fleet then judges the
 * nodes that changed, not 5,000, which matters most when ten DaemonSets reconcile the same fleet. Judging is pure, so
 * the answers are the ones a fresh evaluation gives ({@code EligibilitiesTest}).
 *
 * @param template the pod template the answers were judged for (null: nothing judged yet)
 * @param nodes the node objects judged, by name
 * @param byNode the answers, in node name order (a persistent map, so that a changed node costs one entry)
 * @param judgedFrom the answers these were derived from (null: judged from scratch)
 * @param changed the names whose answer differs from {@code judgedFrom}'s (added, removed or another answer); null
 *     when not known: {@link NodeViews#judged} then compares the two maps
 */
record Eligibilities(PodSpec template, Map<String, Node> nodes, Map<String, Eligibility> byNode,
                     Map<String, Eligibility> judgedFrom, Set<String> changed) {
  static final Eligibilities NONE = new Eligibilities(null, Map.of(), Map.of(), null, null);

  /** {@link #of(DaemonSet, Fleet, Eligibilities, FleetDelta)} comparing the fleets in full. */
  static Eligibilities of(DaemonSet ds, Fleet fleet, Eligibilities previous) {
    return of(ds, fleet, previous, FleetDelta.UNKNOWN);
  }

  /**
   * Every node of the fleet judged for the DaemonSet, reusing previous answers for unchanged nodes. The same fleet
   * (the directory hands out a new map only when a node changed) costs nothing; another one costs the nodes the
   * delta names when it was counted from the judged fleet (a node that joins costs one judgement and a few map
   * entries), else a comparison with the judged fleet in one ordered walk ({@link NodeViews#walk}), never a sorted
   * map rebuilt from 5,000 lookups. An answer equal to the previous one keeps the previous object: {@link NodeViews}
   * then sees by identity that nothing changed there.
   */
  static Eligibilities of(DaemonSet ds, Fleet fleet, Eligibilities previous, FleetDelta delta) {
    PodSpec template = ds.spec() == null || ds.spec().template() == null ? null : ds.spec().template().spec();
    boolean sameTemplate = previous.template() != null && Objects.equals(previous.template(), template);
    if (sameTemplate && previous.nodes() == fleet.nodes()) {
      return previous;
    }
    Function<Node, Eligibility> judge = null;
    if (sameTemplate && previous.byNode() instanceof PSortedMap<String, Eligibility> known) {
      NodeViews.Changed<Node> changed = new NodeViews.Changed<>();
      Set<String> named = delta.from(previous.nodes());
      if (named == null) {
        NodeViews.walk(previous.nodes(), fleet.nodes(), changed);
      } else {
        for (String name : named) {
          Node was = previous.nodes().get(name);
          Node now = fleet.nodes().get(name);
          if (was != now && (was == null || !was.equals(now))) {
            changed.add(name, was, now);
          }
        }
      }
      PSortedMap<String, Eligibility> byNode = known;
      Set<String> answered = new HashSet<>();
      for (int i = 0; i < changed.names.size(); i++) {
        String name = changed.names.get(i);
        Node node = changed.after.get(i);
        if (node == null) {
          if (byNode.containsKey(name)) {
            byNode = byNode.minus(name);
            answered.add(name);
          }
          continue;
        }
        judge = judge == null ? NodeEligibility.judge(ds) : judge;
        Eligibility answer = judge.apply(node);
        if (!answer.equals(byNode.get(name))) {
          byNode = byNode.plus(name, answer);
          answered.add(name);
        }
      }
      return new Eligibilities(template, fleet.nodes(), byNode, known, answered);
    }
    Map<String, Eligibility> byNode = new TreeMap<>();
    for (Node node : fleet.nodes().values()) {
      Eligibility known = sameTemplate && previous.nodes().get(node.name()) == node
          ? previous.byNode().get(node.name()) : null;
      if (known == null) {
        judge = judge == null ? NodeEligibility.judge(ds) : judge;
        known = judge.apply(node);
      }
      byNode.put(node.name(), known);
    }
    return new Eligibilities(template, fleet.nodes(), TreePMap.fromSortedMap((TreeMap<String, Eligibility>) byNode),
        null, null);
  }
}
