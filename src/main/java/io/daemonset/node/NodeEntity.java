package io.daemonset.node;

import io.daemonset.journal.Journal;
import io.daemonset.journal.JsonSerializable;
import io.daemonset.model.Cause;
import io.daemonset.model.Node;
import io.daemonset.model.LabelSelector;
import io.daemonset.model.Outcome;
import io.daemonset.model.OwnerReference;
import io.daemonset.model.NodeStatus;
import io.daemonset.model.Pod;
import io.daemonset.model.PodStatus;
import io.daemonset.placement.ResourceFit;
import io.daemonset.placement.Selector;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.sharding.typed.ClusterShardingSettings;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.RecoveryCompleted;
import org.apache.pekko.persistence.typed.javadsl.CommandHandlerWithReply;
import org.apache.pekko.persistence.typed.javadsl.CommandHandlerWithReplyBuilder;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehaviorWithEnforcedReplies;
import org.apache.pekko.persistence.typed.javadsl.ReplyEffect;
import org.apache.pekko.persistence.typed.javadsl.RetentionCriteria;
import org.apache.pekko.persistence.typed.javadsl.SignalHandler;

/**
 * A node of the fleet: what it is (labels, taints, capacity, readiness) and what it admitted. It is the
 * authority for admission, so a node never over-commits, and it announces its changes to the
 * {@link NodeDirectory} and to the owners of its pods, never naming the owners' type.
 */
public final class NodeEntity
    extends EventSourcedBehaviorWithEnforcedReplies<NodeEntity.Command, NodeEntity.Event, NodeState> {

  public static final EntityTypeKey<Command> ENTITY_TYPE_KEY = EntityTypeKey.create(Command.class, "Node");

  // ---- commands --------------------------------------------------------------------------------

  public sealed interface Command extends JsonSerializable {}

  /**
   * Sent to itself by the first admission gathered: the admissions that arrived meanwhile (they were in the mailbox
   * before it) are written as one write ({@link #onAdmitPod}). Local only.
   */
  enum WriteAdmissions implements Command { INSTANCE }

  /** An agent registers (or re-registers) its node; user-owned labels and taints are kept. */
  public record Register(Node node, Cause cause, ActorRef<Outcome<Node>> replyTo) implements Command {}

  /** An API update of the Node object; expectedVersion < 0 means "no precondition". */
  public record Update(Node node, long expectedVersion, Cause cause, ActorRef<Outcome<Node>> replyTo)
      implements Command {}

  /** The agent's status report; persisted only when something other than heartbeat times changed. */
  public record UpdateStatus(NodeStatus status, Cause cause, ActorRef<Outcome<Node>> replyTo) implements Command {}

  public record Remove(Cause cause, ActorRef<Outcome<Node>> replyTo) implements Command {}

  public record Get(ActorRef<NodeState> replyTo) implements Command {}

  /**
   * The agent's heartbeat: its Lease renewed (kubelet's design). Kept in memory, never persisted, unless it brings
   * an unreachable node back, which is a change of the Node.
   */
  public record RenewLease(io.daemonset.model.Lease lease, Cause cause, ActorRef<Outcome<io.daemonset.model.Lease>> replyTo)
      implements Command {}

  /** The node's Lease as last renewed (NOT_FOUND before the first renewal since this entity started). */
  public record GetLease(ActorRef<Outcome<io.daemonset.model.Lease>> replyTo) implements Command {}

  /**
   * Timer: has the agent gone silent for longer than the grace period? Also what wakes the entity from outside
   * ({@link #wake()}): a type every release reads, whose check is a no-op on an entity that just started.
   */
  enum CheckHeartbeat implements Command { INSTANCE }

  /** Starts the entity where it is not running (its heartbeat timer with it), and costs a running one a check. */
  public static Command wake() {
    return CheckHeartbeat.INSTANCE;
  }

  /**
   * Admit a pod, or, when {@code claimSelector} is given, adopt instead an orphan of the pod's namespace whose
   * labels it matches (upstream's ClaimPods, decided here because the node is the authority on what it runs).
   */
  public record AdmitPod(Pod pod, Cause cause, ActorRef<AdmitResult> replyTo, LabelSelector claimSelector)
      implements Command {
    public AdmitPod(Pod pod, Cause cause, ActorRef<AdmitResult> replyTo) {
      this(pod, cause, replyTo, null);
    }
  }

  /**
   * Upstream's ClaimPods for the pods this node holds: every orphan of {@code namespace} (not terminating or finished)
   * whose labels the selector matches gets {@code owner} as its controller, and the owner hears of each as of its own
   * pod; its manage step then keeps or deletes it (an ineligible node, a second pod on the node). Sent by a DaemonSet
   * to the nodes where it is not admitting a pod (there AdmitPod adopts instead). Not answered: re-sent on resync.
   */
  public record ClaimOrphans(String namespace, LabelSelector selector, OwnerReference owner, Cause cause)
      implements Command {}

  /** Begin a graceful deletion; a grace period of 0 releases the pod at once (a forced delete). */
  public record DeletePod(String podKey, Long gracePeriodSeconds, Cause cause, ActorRef<Outcome<Pod>> replyTo)
      implements Command {}

  public record UpdatePodStatus(String podKey, PodStatus status, Cause cause, ActorRef<Outcome<Pod>> replyTo)
      implements Command {}

  /**
   * A user's change of a pod's labels and annotations, the metadata a pod update may change here (uid: the pod the
   * user read; another one under the name is NotFound). Its owner hears of it: labels that stop matching its selector
   * make it release the pod (upstream's ClaimPods).
   */
  public record UpdatePodMetadata(String podKey, String uid, Map<String, String> labels,
                                  Map<String, String> annotations, Cause cause, ActorRef<Outcome<Pod>> replyTo)
      implements Command {}

  /**
   * An owner sets one label of its pod, the others kept (upstream's dedupCurHistories patches controller-revision-hash
   * so): a PodMetadataUpdated like a user's write. uid: the pod the owner knows; another one under the name is NotFound.
   */
  public record SetPodLabel(String podKey, String uid, String key, String value, Cause cause,
                            ActorRef<Outcome<Pod>> replyTo) implements Command {}

  /** Deletion of a pod whose processes are gone (the agent confirms), or whose owner disowned it. */
  public record OrphanPod(String podKey, Cause cause, ActorRef<Outcome<Pod>> replyTo) implements Command {}

  /**
   * The answer to AdmitPod: admitted, or rejected with the reason (e.g. "Insufficient cpu").
   * {@code alreadyExists}: the node holds another pod (another uid) under that namespace/name, upstream's
   * AlreadyExists: the owner should try again under a new name, not back off.
   */
  public record AdmitResult(String podKey, boolean admitted, String reason, boolean alreadyExists, Pod adopted)
      implements JsonSerializable {
    public AdmitResult(String podKey, boolean admitted, String reason) {
      this(podKey, admitted, reason, false, null);
    }

    public AdmitResult(String podKey, boolean admitted, String reason, boolean alreadyExists) {
      this(podKey, admitted, reason, alreadyExists, null);
    }
  }

  // ---- events ----------------------------------------------------------------------------------

  public sealed interface Event extends JsonSerializable {
    Cause cause();
  }

  public record NodeRegistered(Node node, Cause cause) implements Event {}

  public record NodeUpdated(Node node, Cause cause) implements Event {}

  public record NodeRemoved(Cause cause) implements Event {}

  public record PodAdmitted(Pod pod, Cause cause) implements Event {}

  public record PodStatusUpdated(String podKey, PodStatus status, Cause cause) implements Event {}

  public record PodDeletionStarted(String podKey, Instant deletionTimestamp, long gracePeriodSeconds, Cause cause)
      implements Event {}

  public record PodOrphaned(String podKey, Cause cause) implements Event {}

  /** A user changed the pod's labels and annotations (the whole maps, as they now are). */
  public record PodMetadataUpdated(String podKey, Map<String, String> labels, Map<String, String> annotations,
                                   Cause cause) implements Event {}

  /** A pod that waited Pending (Unschedulable) fits the node now and is bound to it. */
  public record PodBoundToNode(String podKey, Cause cause) implements Event {}

  /** An orphan pod got a controller again: the DaemonSet whose selector matches its labels adopted it. */
  public record PodAdopted(String podKey, OwnerReference owner, Cause cause) implements Event {}

  public record PodReleased(String podKey, Cause cause) implements Event {}

  // ---- wiring ----------------------------------------------------------------------------------

  public static void init(ActorSystem<?> system, PodObserver observer, Clock clock) {
    NodeDirectory directory = new ReplicatedNodeDirectory(system);
    // Not remembered (remembering wrote a row of sharding's own before each new entity started): NodeWaker starts
    // the entities of the nodes the view lists after a restart, a failover or a rebalance. Never passivated: an
    // idle entity's heartbeat timer is what notices its agent's silence.
    Duration grace = heartbeatGrace(system);
    LeaseTerms terms = LeaseTerms.of(system.settings().config());
    FleetSize fleet = FleetSize.get(system);
    ClusterSharding.get(system).init(Entity.of(ENTITY_TYPE_KEY, ctx ->
        create(ctx.getEntityId(), directory, observer, clock, grace, terms, fleet::nodes))
        .withSettings(ClusterShardingSettings.create(system).withNoPassivationStrategy()));
  }

  public static Behavior<Command> create(String nodeName, NodeDirectory directory, PodObserver observer, Clock clock) {
    return create(nodeName, directory, observer, clock, DEFAULT_HEARTBEAT_GRACE);
  }

  public static Behavior<Command> create(String nodeName, NodeDirectory directory, PodObserver observer, Clock clock,
                                         Duration heartbeatGrace) {
    return create(nodeName, directory, observer, clock, heartbeatGrace, LeaseTerms.AS_ASKED, () -> 1);
  }

  /** With lease terms that grow with the fleet the given counter counts (see {@link LeaseTerms}). */
  public static Behavior<Command> create(String nodeName, NodeDirectory directory, PodObserver observer, Clock clock,
                                         Duration heartbeatGrace, LeaseTerms terms,
                                         java.util.function.IntSupplier fleetSize) {
    return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> {
      Duration period = heartbeatGrace.dividedBy(4).compareTo(Duration.ofSeconds(1)) < 0
          ? Duration.ofSeconds(1) : heartbeatGrace.dividedBy(4);
      timers.startTimerWithFixedDelay("heartbeat", CheckHeartbeat.INSTANCE, period);
      return new NodeEntity(ctx, nodeName, directory, observer, clock, heartbeatGrace, terms, fleetSize);
    }));
  }

  /** Upstream's node-monitor-grace-period. */
  public static final Duration DEFAULT_HEARTBEAT_GRACE = Duration.ofSeconds(40);

  static Duration heartbeatGrace(ActorSystem<?> system) {
    var config = system.settings().config();
    return config.hasPath("daemonset.node.heartbeat-grace")
        ? config.getDuration("daemonset.node.heartbeat-grace") : DEFAULT_HEARTBEAT_GRACE;
  }

  private final ActorContext<Command> context;
  private final String nodeName;
  private final NodeDirectory directory;
  private final PodObserver observer;
  private final Clock clock;
  private final Duration heartbeatGrace;
  private final LeaseTerms leaseTerms;
  private final java.util.function.IntSupplier fleetSize;
  /** Runtime only: a restart gives every agent a whole grace period to be heard again. */
  private Instant lastHeartbeat;
  /** Runtime only, as the heartbeat: the Lease as last renewed, null until then. */
  private io.daemonset.model.Lease lease;
  /** Runtime only: what the fleet's size granted at the last renewal (LeaseTerms), null until a renewal. */
  private Duration granted;
  /** Runtime only: admissions decided and not yet written, in arrival order (see {@link #onAdmitPod}). */
  private final List<Gathered> gathered = new java.util.ArrayList<>();
  /** Runtime only: the state with the gathered admissions applied; what the next admission is decided on. */
  private NodeState gatheredState;

  /** One admission waiting for the write of its batch, and the answer it gets once written. */
  private record Gathered(PodAdmitted event, AdmitPod cmd, AdmitResult answer) {}

  private NodeEntity(ActorContext<Command> context, String nodeName, NodeDirectory directory, PodObserver observer,
                     Clock clock, Duration heartbeatGrace, LeaseTerms leaseTerms,
                     java.util.function.IntSupplier fleetSize) {
    super(PersistenceId.of(ENTITY_TYPE_KEY.name(), nodeName), io.daemonset.journal.Journal.PERSIST_FAILURE_BACKOFF);
    this.context = context;
    this.nodeName = nodeName;
    this.directory = directory;
    this.observer = observer;
    this.clock = clock;
    this.heartbeatGrace = heartbeatGrace;
    this.leaseTerms = leaseTerms;
    this.fleetSize = fleetSize;
    this.lastHeartbeat = clock.instant();
  }

  @Override
  public NodeState emptyState() {
    return NodeState.EMPTY;
  }

  @Override
  public Set<String> tagsFor(Event event) {
    return Set.of(Journal.TAG);
  }

  @Override
  public RetentionCriteria retentionCriteria() {
    return RetentionCriteria.snapshotEvery(200, 2);
  }

  @Override
  public SignalHandler<NodeState> signalHandler() {
    return newSignalHandlerBuilder()
        .onSignal(RecoveryCompleted.instance(), state -> {
          // The directory is not durable: whoever hosts this node now announces it again.
          if (state.exists()) {
            // with the directory's next notification round: after a restart every node recovers at once, and
            // nothing about it is new to act on at once
            directory.put(state.node(), state.orphanNamespaces(), state.orphanLabels());
          }
        })
        .build();
  }

  @Override
  public EventHandler<NodeState, Event> eventHandler() {
    return newEventHandlerBuilder().forAnyState().onAnyEvent(NodeState::apply);
  }

  @Override
  public CommandHandlerWithReply<Command, Event, NodeState> commandHandler() {
    CommandHandlerWithReplyBuilder<Command, Event, NodeState> builder = newCommandHandlerWithReplyBuilder();
    // While admissions are gathered (not yet written), every other command waits until they are: it must see them
    // (a Get, a delete of a pod just admitted, a status report), and it comes after them in the mailbox anyway.
    builder.forState(state -> !gathered.isEmpty())
        .onCommand(AdmitPod.class, this::onAdmitPod)
        .onCommand(WriteAdmissions.class, this::onWriteAdmissions)
        .onAnyCommand(cmd -> Effect().stash());
    builder.forAnyState()
        .onCommand(WriteAdmissions.class, this::onWriteAdmissions)
        .onCommand(Register.class, this::onRegister)
        .onCommand(Update.class, this::onUpdate)
        .onCommand(UpdateStatus.class, this::onUpdateStatus)
        .onCommand(Remove.class, this::onRemove)
        .onCommand(Get.class, (state, cmd) -> Effect().reply(cmd.replyTo(), state))
        .onCommand(AdmitPod.class, this::onAdmitPod)
        .onCommand(DeletePod.class, this::onDeletePod)
        .onCommand(UpdatePodStatus.class, this::onUpdatePodStatus)
        .onCommand(OrphanPod.class, this::onOrphanPod)
        .onCommand(ClaimOrphans.class, this::onClaimOrphans)
        .onCommand(UpdatePodMetadata.class, this::onUpdatePodMetadata)
        .onCommand(SetPodLabel.class, this::onSetPodLabel)
        .onCommand(CheckHeartbeat.class, this::onCheckHeartbeat)
        .onCommand(RenewLease.class, this::onRenewLease)
        .onCommand(GetLease.class, (state, cmd) -> Effect().reply(cmd.replyTo(), lease == null || !state.exists()
            ? Outcome.refused(Outcome.Refusal.NOT_FOUND, "leases.coordination.k8s.io \"" + nodeName + "\" not found")
            : Outcome.ok(lease, 0)));
    return builder.build();
  }

  // ---- node lifecycle --------------------------------------------------------------------------

  private ReplyEffect<Event, NodeState> onRegister(NodeState state, Register cmd) {
    lastHeartbeat = clock.instant();
    if (!state.exists()) {
      Node node = NodeLifecycle.withConditionTaints(NodeObjects.forCreate(cmd.node(), nodeName, clock.instant()),
          clock.instant());
      return Effect().persist(new NodeRegistered(node, cmd.cause()))
          .thenRun(this::announce)
          .thenReply(cmd.replyTo(), s -> Outcome.ok(s.node(), lastSequenceNumber(context)));
    }
    Node merged = NodeLifecycle.renewed(NodeObjects.reRegistered(state.node(), cmd.node()), clock.instant());
    if (merged.equals(state.node())) {
      return Effect().reply(cmd.replyTo(), Outcome.ok(state.node(), lastSequenceNumber(context)));
    }
    return Effect().persist(new NodeUpdated(merged, cmd.cause()))
        .thenRun(this::announce)
        .thenReply(cmd.replyTo(), s -> Outcome.ok(s.node(), lastSequenceNumber(context)));
  }

  private ReplyEffect<Event, NodeState> onUpdate(NodeState state, Update cmd) {
    if (!state.exists()) {
      return Effect().reply(cmd.replyTo(), Outcome.refused(Outcome.Refusal.NOT_FOUND, "node " + nodeName + " not found"));
    }
    if (cmd.expectedVersion() >= 0 && cmd.expectedVersion() != state.version()) {
      return Effect().reply(cmd.replyTo(), Outcome.refused(Outcome.Refusal.CONFLICT, Outcome.CONFLICT_MESSAGE));
    }
    Node updated = NodeObjects.forUpdate(state.node(), cmd.node());
    if (updated.equals(state.node())) {
      return Effect().reply(cmd.replyTo(), Outcome.ok(state.node(), lastSequenceNumber(context)));
    }
    return Effect().persist(withWaitingThatFit(state, List.of(new NodeUpdated(updated, cmd.cause())), cmd.cause()))
        .thenRun(this::announce)
        .thenReply(cmd.replyTo(), s -> Outcome.ok(s.node(), lastSequenceNumber(context)));
  }

  private ReplyEffect<Event, NodeState> onUpdateStatus(NodeState state, UpdateStatus cmd) {
    if (!state.exists()) {
      return Effect().reply(cmd.replyTo(), Outcome.refused(Outcome.Refusal.NOT_FOUND, "node " + nodeName + " not found"));
    }
    lastHeartbeat = clock.instant();
    Node updated = NodeLifecycle.withConditionTaints(state.node().withStatus(cmd.status()), clock.instant());
    if (!NodeObjects.differsBeyondHeartbeat(state.node(), updated)) {
      return Effect().reply(cmd.replyTo(), Outcome.ok(updated, lastSequenceNumber(context)));
    }
    return Effect().persist(withWaitingThatFit(state, List.of(new NodeUpdated(updated, cmd.cause())), cmd.cause()))
        .thenRun(this::announce)
        .thenReply(cmd.replyTo(), s -> Outcome.ok(s.node(), lastSequenceNumber(context)));
  }

  private ReplyEffect<Event, NodeState> onRemove(NodeState state, Remove cmd) {
    if (!state.exists()) {
      return Effect().reply(cmd.replyTo(), Outcome.refused(Outcome.Refusal.NOT_FOUND, "node " + nodeName + " not found"));
    }
    Map<String, Pod> released = state.pods();
    return Effect().persist(new NodeRemoved(cmd.cause()))
        .thenRun(s -> {
          directory.remove(nodeName);
          Cause why = cmd.cause().because("node " + nodeName + " removed");
          released.forEach((key, pod) -> notifyOwner(pod, null, why));
        })
        .thenReply(cmd.replyTo(), s -> Outcome.ok(s.node(), lastSequenceNumber(context)));
  }

  private ReplyEffect<Event, NodeState> onRenewLease(NodeState state, RenewLease cmd) {
    if (!state.exists()) {
      return Effect().reply(cmd.replyTo(), Outcome.refused(Outcome.Refusal.NOT_FOUND,
          "nodes \"" + nodeName + "\" not found: register the Node before renewing its Lease"));
    }
    Instant now = clock.instant();
    lastHeartbeat = now;
    granted = leaseTerms.granted(fleetSize.getAsInt());
    lease = NodeLeases.renewed(lease, cmd.lease(), now, granted);
    io.daemonset.model.Lease answer = lease;
    if (!NodeLifecycle.isUnreachable(state.node())) {
      return Effect().reply(cmd.replyTo(), Outcome.ok(answer, 0));
    }
    return Effect().persist(new NodeUpdated(NodeLifecycle.renewed(state.node(), now),
            cmd.cause().because("node " + nodeName + " renewed its lease: reachable again")))
        .thenRun(this::announce)
        .thenReply(cmd.replyTo(), s -> Outcome.ok(answer, lastSequenceNumber(context)));
  }

  /**
   * The grace period, or the longer lease the last renewal was granted; before any renewal since this entity
   * started, the lease the fleet's size would grant: an agent renews on its last grant's schedule across a restart.
   */
  private Duration allowedSilence() {
    Duration lease = granted != null ? granted : leaseTerms.granted(fleetSize.getAsInt());
    return lease.compareTo(heartbeatGrace) > 0 ? lease : heartbeatGrace;
  }

  /** Only the transition is persisted, never a heartbeat. */
  private ReplyEffect<Event, NodeState> onCheckHeartbeat(NodeState state, CheckHeartbeat cmd) {
    Instant now = clock.instant();
    if (!state.exists() || !NodeObjects.hasAgent(state.node()) || NodeLifecycle.isUnreachable(state.node())
        || Duration.between(lastHeartbeat, now).compareTo(allowedSilence()) <= 0) {
      return Effect().noReply();
    }
    Cause cause = Cause.byController(now, "node " + nodeName + ": no heartbeat for "
        + Duration.between(lastHeartbeat, now).toSeconds() + "s (grace " + allowedSilence().toSeconds() + "s)");
    // Upstream's MarkPodsNotReady: nobody else would tell that the pods of a silent node may not be serving.
    List<Event> events = new java.util.ArrayList<>();
    events.add(new NodeUpdated(NodeLifecycle.unreachable(state.node(), now), cause));
    Cause notReady = cause.because("node " + nodeName + " is unreachable: pod marked not ready");
    NodeLifecycle.podsNotReady(state.pods(), nodeName, now)
        .forEach((key, status) -> events.add(new PodStatusUpdated(key, status, notReady)));
    return Effect().persist(events)
        .thenRun(s -> {
          announce(s);
          for (Event e : events) {
            if (e instanceof PodStatusUpdated u) {
              notifyOwner(state.pods().get(u.podKey()), s.pods().get(u.podKey()), notReady);
            }
          }
        })
        .thenNoReply();
  }

  /** A persisted change: DaemonSets hear of it now (a joined node waits for its pods from this moment). */
  private void announce(NodeState state) {
    directory.putNow(state.node(), state.orphanNamespaces(), state.orphanLabels());
  }

  /**
   * After a change of its pods: the directory learns when the orphans changed (an orphaning, an adoption, an orphan
   * admitted, relabelled, deleted or finished: the namespaces holding them or their labels' fingerprint), so that
   * DaemonSets claim there at once and nowhere else. A change of pods that are not orphans writes nothing, and the
   * directory's entry is compared before it is written, so an unchanged one costs no replication.
   */
  private void announceOrphans(NodeState before, NodeState after) {
    if (after.exists() && (before.orphanLabels() != after.orphanLabels()
        || !before.orphanNamespaces().equals(after.orphanNamespaces()))) {
      announce(after);
    }
  }

  // ---- pods ------------------------------------------------------------------------------------

  /**
   * Idempotent by pod name: admitting a pod already admitted answers yes again.
   *
   * <p>Admissions that arrive together are written together: a joining node gets one admission from every DaemonSet
   * at once (ten in the join benchmark), and written one by one, each waiting for the previous write, the last was
   * answered ten journal round trips after the first. The first admission is decided, kept ({@link #gathered}) and
   * the entity tells itself {@link WriteAdmissions}; the admissions already in the mailbox are decided on the state
   * with the gathered ones applied (so capacity and names are judged as if each were written before the next, as
   * before), every other command waits in the stash, and {@code WriteAdmissions} persists them as one write, then
   * answers each. Nothing is answered before it is written, as before.
   */
  private ReplyEffect<Event, NodeState> onAdmitPod(NodeState committed, AdmitPod cmd) {
    boolean gathering = !gathered.isEmpty();
    NodeState state = gathering ? gatheredState : committed;
    String key = NodeState.podKey(cmd.pod());
    Pod orphan = state.exists() && cmd.claimSelector() != null ? adoptable(state, cmd.pod(), cmd.claimSelector())
        : null;
    if (gathering && (orphan != null || state.pods().containsKey(key))) {
      // an adoption, or a name gathered already: decided once the gathered admissions are written
      return Effect().stash();
    }
    if (!state.exists()) {
      return Effect().reply(cmd.replyTo(), new AdmitResult(key, false, "node " + nodeName + " is not registered"));
    }
    if (orphan != null) {
      return adopt(state, cmd, orphan);
    }
    Pod held = state.pods().get(key);
    if (held != null) {
      return Objects.equals(held.metadata().uid(), cmd.pod().metadata().uid())
          ? Effect().reply(cmd.replyTo(), new AdmitResult(key, true, "already admitted"))
          : Effect().reply(cmd.replyTo(), new AdmitResult(key, false, "pods \"" + cmd.pod().metadata().name()
              + "\" already exists", true));
    }
    // Capacity, host ports and taints: what does not fit stays Pending (Unschedulable), as the scheduler leaves
    // it, and is bound when it fits (see waitingThatFit); it is the DaemonSet's pod either way.
    java.util.Optional<String> unschedulable = Admission.unschedulable(state.node(), state.pods().values(), cmd.pod());
    Pod pod = unschedulable.isPresent()
        ? Unscheduled.pending(cmd.pod(), Admission.message(unschedulable.get()), clock.instant())
        : cmd.pod().withStatus(PodStatus.pending());
    String answer = unschedulable.map(r -> "Pending: " + Admission.message(r)).orElse("admitted");
    PodAdmitted admitted = new PodAdmitted(pod, cmd.cause());
    gathered.add(new Gathered(admitted, cmd, new AdmitResult(key, true, answer)));
    gatheredState = state.apply(admitted);
    if (!gathering) {
      context.getSelf().tell(WriteAdmissions.INSTANCE);
    }
    return Effect().noReply();
  }

  /** The gathered admissions as one write; then each is answered and its owner told, and what waited comes back. */
  private ReplyEffect<Event, NodeState> onWriteAdmissions(NodeState state, WriteAdmissions cmd) {
    if (gathered.isEmpty()) {
      return Effect().none().thenNoReply().thenUnstashAll();
    }
    List<Gathered> batch = List.copyOf(gathered);
    gathered.clear();
    gatheredState = null;
    return Effect().persist(batch.stream().<Event>map(Gathered::event).toList())
        .thenRun(s -> {
          for (Gathered g : batch) {
            Pod pod = g.event().pod();
            notifyOwner(pod, pod, g.event().cause());
          }
          // a pod created without a controller is an orphan a DaemonSet may adopt; pods with one change no orphan
          if (ReportEffects.mayChangeOrphans(batch.stream().map(g -> g.event().pod()).toList())) {
            announceOrphans(state, s);
          }
          for (Gathered g : batch) {
            g.cmd().replyTo().tell(g.answer());
          }
        })
        .thenNoReply()
        .thenUnstashAll();
  }

  /**
   * After a change that frees room (a pod gone or finished, a taint lifted, more capacity): the waiting pods
   * that fit now, oldest first, each bound in turn, as events to persist with the change.
   */
  private List<Event> withWaitingThatFit(NodeState state, List<Event> change, Cause cause) {
    List<Event> events = new java.util.ArrayList<>(change);
    NodeState next = state;
    for (Event e : change) {
      next = next.apply(e);
    }
    if (!next.exists()) {
      return events;
    }
    for (Pod waiting : Unscheduled.waiting(next.pods().values())) {
      if (Admission.unschedulable(next.node(), next.pods().values(), waiting).isEmpty()) {
        Event bound = new PodBoundToNode(NodeState.podKey(waiting),
            cause.because("pod " + waiting.metadata().name() + " fits node " + nodeName + " now: bound"));
        events.add(bound);
        next = next.apply(bound);
      }
    }
    return events;
  }

  /** An orphan in the pod's namespace, not terminating or finished, whose labels the selector matches. */
  private static Pod adoptable(NodeState state, Pod pod, LabelSelector selector) {
    return adoptables(state, pod.metadata().namespace(), selector).stream().findFirst().orElse(null);
  }

  /** Every such orphan of the namespace, by name (none for an empty selector, as upstream never claims with one). */
  private static List<Pod> adoptables(NodeState state, String namespace, LabelSelector selector) {
    Selector matcher = Selector.fromLabelSelector(selector);
    if (matcher.isEmpty()) {
      return List.of();
    }
    return state.pods().values().stream()
        .filter(p -> Objects.equals(p.metadata().namespace(), namespace))
        .filter(NodeState::isAdoptable)
        .filter(p -> matcher.matches(p.metadata().labelsOrEmpty()))
        .sorted(java.util.Comparator.comparing(p -> p.metadata().name()))
        .toList();
  }

  private ReplyEffect<Event, NodeState> onClaimOrphans(NodeState state, ClaimOrphans cmd) {
    List<Pod> orphans = state.exists() ? adoptables(state, cmd.namespace(), cmd.selector()) : List.of();
    if (orphans.isEmpty()) {
      return Effect().noReply();
    }
    String ownerKey = cmd.namespace() + "/" + cmd.owner().name();
    List<Event> events = orphans.stream().<Event>map(p -> new PodAdopted(NodeState.podKey(p), cmd.owner(),
        cmd.cause().because("adopt orphan pod " + p.metadata().name() + " (labels match the selector of "
            + cmd.owner().kind() + " " + cmd.owner().name() + ")"))).toList();
    return Effect().persist(events)
        .thenRun(s -> {
          events.forEach(e -> {
            PodAdopted adopted = (PodAdopted) e;
            Pod pod = s.pods().get(adopted.podKey());
            observer.podChanged(ownerKey, nodeName, pod.metadata().name(), pod, adopted.cause());
          });
          announceOrphans(state, s);
        })
        .thenNoReply();
  }

  private ReplyEffect<Event, NodeState> adopt(NodeState state, AdmitPod cmd, Pod orphan) {
    String orphanKey = NodeState.podKey(orphan);
    OwnerReference owner = cmd.pod().metadata().ownerReferencesOrEmpty().stream()
        .filter(OwnerReference::isController).findFirst().orElseThrow();
    Cause cause = cmd.cause().because("adopt orphan pod " + orphan.metadata().name() + " (labels match the selector of "
        + owner.kind() + " " + owner.name() + ")");
    return Effect().persist(new PodAdopted(orphanKey, owner, cause))
        .thenRun(s -> announceOrphans(state, s))
        .thenReply(cmd.replyTo(), s -> new AdmitResult(orphanKey, true, "adopted", false, s.pods().get(orphanKey)));
  }

  /** Answers with the pod as it is after the request: terminating, or null once it is gone. */
  private ReplyEffect<Event, NodeState> onDeletePod(NodeState state, DeletePod cmd) {
    Pod pod = state.pods().get(cmd.podKey());
    if (pod == null) {
      // Already gone: deleting is idempotent for the controller, a 404 for a user (the API checks first).
      return Effect().reply(cmd.replyTo(), Outcome.ok(null, lastSequenceNumber(context)));
    }
    long grace = cmd.gracePeriodSeconds() != null ? cmd.gracePeriodSeconds() : defaultGrace(pod);
    if (grace <= 0 || !NodeObjects.hasAgent(state.node()) || Unscheduled.isWaiting(pod)) {
      return Effect().persist(withWaitingThatFit(state, List.of(new PodReleased(cmd.podKey(), cmd.cause())),
              cmd.cause()))
          .thenRun(s -> {
            notifyOwner(pod, null, cmd.cause());
            announceOrphans(state, s);
          })
          .thenReply(cmd.replyTo(), s -> Outcome.ok(null, lastSequenceNumber(context)));
    }
    if (pod.metadata().deletionTimestamp() != null) {
      return Effect().reply(cmd.replyTo(), Outcome.ok(pod, lastSequenceNumber(context)));
    }
    Instant deadline = clock.instant().plusSeconds(grace);
    return Effect().persist(new PodDeletionStarted(cmd.podKey(), deadline, grace, cmd.cause()))
        .thenRun(s -> {
          notifyOwner(pod, s.pods().get(cmd.podKey()), cmd.cause());
          announceOrphans(state, s);
        })
        .thenReply(cmd.replyTo(), s -> Outcome.ok(s.pods().get(cmd.podKey()), lastSequenceNumber(context)));
  }

  private ReplyEffect<Event, NodeState> onUpdatePodStatus(NodeState state, UpdatePodStatus cmd) {
    Pod pod = state.pods().get(cmd.podKey());
    if (pod == null) {
      return Effect().reply(cmd.replyTo(), Outcome.refused(Outcome.Refusal.NOT_FOUND, "pod " + cmd.podKey() + " not found on node " + nodeName));
    }
    if (Objects.equals(pod.status(), cmd.status())) {
      return Effect().reply(cmd.replyTo(), Outcome.ok(pod, lastSequenceNumber(context)));
    }
    // The node's most frequent write: the walks over its pods are done only where they can find something.
    List<Event> update = List.of(new PodStatusUpdated(cmd.podKey(), cmd.status(), cmd.cause()));
    List<Event> events = ReportEffects.mayBindWaiting(state.pods().values())
        ? withWaitingThatFit(state, update, cmd.cause()) : update;
    boolean orphansMayChange = events.size() > 1 || ReportEffects.mayChangeOrphans(List.of(pod));
    return Effect().persist(events)
        .thenRun(s -> {
          notifyOwner(pod, s.pods().get(cmd.podKey()), cmd.cause());
          if (orphansMayChange) {
            announceOrphans(state, s);
          }
        })
        .thenReply(cmd.replyTo(), s -> Outcome.ok(s.pods().get(cmd.podKey()), lastSequenceNumber(context)));
  }

  private ReplyEffect<Event, NodeState> onOrphanPod(NodeState state, OrphanPod cmd) {
    Pod pod = state.pods().get(cmd.podKey());
    if (pod == null || NodeState.controllerKey(pod) == null) {
      return Effect().reply(cmd.replyTo(), Outcome.ok(pod, lastSequenceNumber(context)));
    }
    return Effect().persist(new PodOrphaned(cmd.podKey(), cmd.cause()))
        .thenRun(s -> {
          notifyOwner(pod, null, cmd.cause());
          announceOrphans(state, s);
        })
        .thenReply(cmd.replyTo(), s -> Outcome.ok(s.pods().get(cmd.podKey()), lastSequenceNumber(context)));
  }

  private ReplyEffect<Event, NodeState> onUpdatePodMetadata(NodeState state, UpdatePodMetadata cmd) {
    Pod pod = state.pods().get(cmd.podKey());
    if (pod == null || (cmd.uid() != null && !cmd.uid().equals(pod.metadata().uid()))) {
      return Effect().reply(cmd.replyTo(), Outcome.refused(Outcome.Refusal.NOT_FOUND,
          "pod " + cmd.podKey() + " not found on node " + nodeName));
    }
    if (Objects.equals(pod.metadata().labels(), cmd.labels())
        && Objects.equals(pod.metadata().annotations(), cmd.annotations())) {
      return Effect().reply(cmd.replyTo(), Outcome.ok(pod, lastSequenceNumber(context)));
    }
    return Effect().persist(new PodMetadataUpdated(cmd.podKey(), cmd.labels(), cmd.annotations(), cmd.cause()))
        .thenRun(s -> {
          notifyOwner(pod, s.pods().get(cmd.podKey()), cmd.cause());
          announceOrphans(state, s);
        })
        .thenReply(cmd.replyTo(), s -> Outcome.ok(s.pods().get(cmd.podKey()), lastSequenceNumber(context)));
  }

  private ReplyEffect<Event, NodeState> onSetPodLabel(NodeState state, SetPodLabel cmd) {
    Pod pod = state.pods().get(cmd.podKey());
    Map<String, String> labels = new java.util.LinkedHashMap<>(pod == null ? Map.of() : pod.metadata().labelsOrEmpty());
    labels.put(cmd.key(), cmd.value());
    return onUpdatePodMetadata(state, new UpdatePodMetadata(cmd.podKey(), cmd.uid(),
        java.util.Collections.unmodifiableMap(labels), pod == null ? null : pod.metadata().annotations(), cmd.cause(),
        cmd.replyTo()));
  }

  /** Tell the owner what became of its pod; the owner is taken from the pod as it was before the event. */
  private void notifyOwner(Pod before, Pod after, Cause cause) {
    String owner = NodeState.controllerKey(before);
    if (owner != null) {
      observer.podChanged(owner, nodeName, before.metadata().name(), after, cause);
    }
  }

  private static boolean isTerminal(Pod pod) {
    String phase = pod.status() == null ? null : pod.status().phase();
    return "Succeeded".equals(phase) || "Failed".equals(phase);
  }

  private static long defaultGrace(Pod pod) {
    Long grace = pod.spec() == null ? null : pod.spec().terminationGracePeriodSeconds();
    return grace == null ? 30 : grace;
  }
}
