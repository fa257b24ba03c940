package io.daemonset.daemonset;

import io.daemonset.node.Fleet;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Everything one reconcile depends on, as data (see docs/architecture.md, "Decided once").
 *
 * @param state as persisted so far
 * @param fleet the node directory as last seen; nothing fleet-wide is decided while it is not complete
 * @param facts what nodes reported since the last reconcile, in arrival order; they become the first events
 * @param changes what changed since the last reconcile
 * @param backoffs failed-pod and admission backoffs
 * @param now the only clock
 * @param eligibilities the last reconcile's judgement of the fleet, reused for the nodes that did not change
 * @param views the last reconcile's node views, rebuilt only for the nodes whose bindings, object or answer changed
 * @param fleetDelta where {@code fleet} may differ from the fleet the last reconcile saw: the views and judgements of
 *     that fleet compare only those nodes ({@link FleetDelta#UNKNOWN}: compare them all)
 */
public record ReconcileInput(DaemonSetState state, Fleet fleet, List<DaemonSetEntity.Fact> facts, Changes changes,
                             Backoffs backoffs, Instant now, Eligibilities eligibilities, NodeViews views,
                             FleetDelta fleetDelta) {

  public ReconcileInput(DaemonSetState state, Fleet fleet, List<DaemonSetEntity.Fact> facts, Changes changes,
                        Backoffs backoffs, Instant now) {
    this(state, fleet, facts, changes, backoffs, now, Eligibilities.NONE, NodeViews.NONE, FleetDelta.UNKNOWN);
  }

  public ReconcileInput(DaemonSetState state, Fleet fleet, List<DaemonSetEntity.Fact> facts, Changes changes,
                        Backoffs backoffs, Instant now, Eligibilities eligibilities) {
    this(state, fleet, facts, changes, backoffs, now, eligibilities, NodeViews.NONE, FleetDelta.UNKNOWN);
  }

  /** The carried judgements and views, compared with the fleet in full. */
  public ReconcileInput(DaemonSetState state, Fleet fleet, List<DaemonSetEntity.Fact> facts, Changes changes,
                        Backoffs backoffs, Instant now, Eligibilities eligibilities, NodeViews views) {
    this(state, fleet, facts, changes, backoffs, now, eligibilities, views, FleetDelta.UNKNOWN);
  }

  public ReconcileInput {
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(fleet, "fleet");
    Objects.requireNonNull(now, "now");
    facts = facts == null ? List.of() : List.copyOf(facts);
    changes = changes == null ? Changes.NONE : changes;
    backoffs = backoffs == null ? Backoffs.NONE : backoffs;
    eligibilities = eligibilities == null ? Eligibilities.NONE : eligibilities;
    views = views == null ? NodeViews.NONE : views;
    fleetDelta = fleetDelta == null ? FleetDelta.UNKNOWN : fleetDelta;
  }
}
