package io.daemonset.daemonset;

import io.daemonset.journal.Journal;
import io.daemonset.journal.JsonSerializable;
import io.daemonset.model.Cause;
import io.daemonset.model.ControllerRevision;
import io.daemonset.model.DaemonSet;
import io.daemonset.model.DaemonSetStatus;
import io.daemonset.model.Node;
import io.daemonset.model.Outcome;
import io.daemonset.model.Pod;
import io.daemonset.node.NodeDirectory;
import io.daemonset.node.NodeEntity;
import io.daemonset.node.NodeState;
import io.daemonset.rollout.Backoff;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.apache.pekko.actor.typed.RecipientRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.actor.typed.ActorRef;
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
 * A DaemonSet: what should run (spec, revisions), which pod is bound to which node, and the rollout in
 * progress. It reconciles level-triggered: every change of its spec, of a node, of a pod, and a periodic
 * resync recompute the plan from the current state; the plan's effects are persisted as one batch of
 * events before any message leaves, so a crash between the two is repaired by re-sending after recovery.
 */
public final class DaemonSetEntity
    extends EventSourcedBehaviorWithEnforcedReplies<DaemonSetEntity.Command, DaemonSetEntity.Event, DaemonSetState> {

  public static final EntityTypeKey<Command> ENTITY_TYPE_KEY = EntityTypeKey.create(Command.class, "DaemonSet");
  static final Duration RESYNC = Duration.ofSeconds(30);
  static final Duration COALESCE = Duration.ofMillis(20);
  static final Duration NODE_ASK_TIMEOUT = Duration.ofSeconds(10);

  // ---- commands --------------------------------------------------------------------------------

  public sealed interface Command extends JsonSerializable {}

  /** Create from a defaulted, validated object; the entity assigns uid, generation and timestamps. */
  public record Create(DaemonSet daemonSet, Cause cause, ActorRef<Outcome<DaemonSet>> replyTo) implements Command {}

  /** Replace metadata and spec; expectedSpecVersion < 0 means "no precondition". */
  public record Update(DaemonSet daemonSet, long expectedSpecVersion, Cause cause, ActorRef<Outcome<DaemonSet>> replyTo)
      implements Command {}

  /** propagationPolicy: Background, Foreground or Orphan (the API resolves the default). */
  public record Delete(String propagationPolicy, Cause cause, ActorRef<Outcome<DaemonSet>> replyTo) implements Command {}

  public record Get(ActorRef<DaemonSetState> replyTo) implements Command {}

  /** A node reports one of this DaemonSet's pods changed; pod is null when it left the node. */
  public record PodChanged(String nodeName, String podName, Pod pod, Cause cause) implements Command {}

  record NodesChanged(Map<String, Node> nodes) implements Command {}

  enum Reconcile implements Command { INSTANCE }

  record AdmitAnswered(String podName, String nodeName, boolean admitted, String reason) implements Command {}

  record DeleteAnswered(String podName, boolean gone, boolean terminating) implements Command {}

  /** Timer: ask the nodes of pods not yet settled what they hold, in case a notification was lost. */
  enum ResyncPods implements Command { INSTANCE }

  /** What a node holds now, asked for after recovery: notifications sent while we were down are lost. */
  record NodeHolds(String nodeName, NodeState node) implements Command {}

  // ---- events ----------------------------------------------------------------------------------

  public sealed interface Event extends JsonSerializable {
    Cause cause();
  }

  public record DaemonSetCreated(DaemonSet daemonSet, Cause cause) implements Event {}

  public record DaemonSetUpdated(DaemonSet daemonSet, Cause cause) implements Event {}

  public record StatusChanged(DaemonSetStatus status, Cause cause) implements Event {}

  /** Background and Foreground: every pod is to be deleted; only Foreground keeps the object visible meanwhile. */
  public record DeletionStarted(String propagationPolicy, Instant deletionTimestamp, Cause cause) implements Event {
    boolean keepsObject() {
      return "Foreground".equals(propagationPolicy);
    }
  }

  /** The object is gone from the API; with Orphan its pods stay on their nodes without an owner. */
  public record DaemonSetDeleted(String propagationPolicy, Cause cause) implements Event {
    boolean orphanPods() {
      return "Orphan".equals(propagationPolicy);
    }
  }

  /** A new ControllerRevision, or an existing one renumbered to the top (a rollback). */
  public record RevisionRecorded(ControllerRevision revision, Cause cause) implements Event {}

  public record RevisionsTrimmed(List<String> names, Cause cause) implements Event {}

  public record PodsScheduled(List<ScheduledPod> pods, Cause cause) implements Event {}

  /** One pod decided for one node, with why (e.g. "node n7 gained label ssd=true"). */
  public record ScheduledPod(String podName, String podUid, String nodeName, String revisionHash, String why) {}

  public record PodBound(String podName, Cause cause) implements Event {}

  public record PodRejected(String podName, String nodeName, String reason, Cause cause) implements Event {}

  public record PodObserved(String podName, String podPhase, Instant readySince, boolean terminating, Cause cause)
      implements Event {}

  public record PodsDeletionRequested(List<PodDeletion> pods, Cause cause) implements Event {}

  /** One pod to delete, with why (e.g. "rolling update to revision 3", "node n2 lost label ssd"). */
  public record PodDeletion(String podName, String nodeName, String why) {}

  public record PodGone(String podName, Cause cause) implements Event {}

  // ---- wiring ----------------------------------------------------------------------------------

  public static void init(ActorSystem<?> system, Clock clock) {
    NodeDirectory directory = new io.daemonset.node.ReplicatedNodeDirectory(system);
    ClusterSharding sharding = ClusterSharding.get(system);
    // Remembered, so that a rollout interrupted by a restart resumes without anyone asking.
    Function<String, RecipientRef<NodeEntity.Command>> nodes =
        name -> sharding.entityRefFor(NodeEntity.ENTITY_TYPE_KEY, name);
    sharding.init(Entity.of(ENTITY_TYPE_KEY, ctx -> create(ctx.getEntityId(), directory, nodes, clock))
        .withSettings(Journal.remembered(system)));
  }

  /** The observer NodeEntity uses to reach a pod's owning DaemonSet. */
  public static io.daemonset.node.PodObserver podObserver(ActorSystem<?> system) {
    ClusterSharding sharding = ClusterSharding.get(system);
    return (ownerKey, nodeName, podName, pod, cause) ->
        sharding.entityRefFor(ENTITY_TYPE_KEY, ownerKey).tell(new PodChanged(nodeName, podName, pod, cause));
  }

  public static Behavior<Command> create(String key, NodeDirectory directory,
                                         Function<String, RecipientRef<NodeEntity.Command>> nodes, Clock clock) {
    return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> {
      directory.subscribe(ctx, NodesChanged::new);
      timers.startTimerWithFixedDelay("resync", Reconcile.INSTANCE, RESYNC);
      timers.startTimerWithFixedDelay("resync-pods", ResyncPods.INSTANCE, RESYNC);
      String namespace = key.substring(0, key.indexOf('/'));
      NodeLink link = new NodeLink(nodes, namespace, NODE_ASK_TIMEOUT, ctx.getSystem().ignoreRef());
      return new DaemonSetEntity(ctx, timers, key, link, clock);
    }));
  }

  private final ActorContext<Command> context;
  private final TimerScheduler<Command> timers;
  private final String key;
  private final NodeLink nodes;
  private final Clock clock;
  /** The fleet as the node directory last showed it; null until the first view arrives, when nothing is decided. */
  private Map<String, Node> fleet;
  /** Runtime only: what nodes said since the last reconcile (see {@link Facts}). */
  private final List<Command> facts = new java.util.ArrayList<>();
  /** What last changed in the fleet, named in the causes of the decisions that follow it. */
  private String trigger;
  /** Runtime-only, per node: admission and failed-pod backoff, reset by a restart as upstream's is. */
  private Map<String, Backoff> backoffs = Map.of();

  private DaemonSetEntity(ActorContext<Command> context, TimerScheduler<Command> timers, String key, NodeLink nodes,
                          Clock clock) {
    super(PersistenceId.of(ENTITY_TYPE_KEY.name(), key), io.daemonset.journal.Journal.PERSIST_FAILURE_BACKOFF);
    this.context = context;
    this.timers = timers;
    this.key = key;
    this.nodes = nodes;
    this.clock = clock;
  }

  @Override
  public DaemonSetState emptyState() {
    return DaemonSetState.EMPTY;
  }

  @Override
  public Set<String> tagsFor(Event event) {
    return Set.of(Journal.TAG);
  }

  @Override
  public RetentionCriteria retentionCriteria() {
    return RetentionCriteria.snapshotEvery(100, 2);
  }

  @Override
  public SignalHandler<DaemonSetState> signalHandler() {
    return newSignalHandlerBuilder()
        .onSignal(RecoveryCompleted.instance(), state -> {
          nodes.resync(context, state.bindings().values().stream().map(PodBinding::nodeName).distinct().toList());
          scheduleReconcile();
        })
        .build();
  }

  @Override
  public EventHandler<DaemonSetState, Event> eventHandler() {
    return newEventHandlerBuilder().forAnyState().onAnyEvent(DaemonSetState::apply);
  }

  @Override
  public CommandHandlerWithReply<Command, Event, DaemonSetState> commandHandler() {
    CommandHandlerWithReplyBuilder<Command, Event, DaemonSetState> builder = newCommandHandlerWithReplyBuilder();
    builder.forAnyState()
        .onCommand(Create.class, this::onCreate)
        .onCommand(Update.class, this::onUpdate)
        .onCommand(Delete.class, this::onDelete)
        .onCommand(Get.class, (state, cmd) -> Effect().reply(cmd.replyTo(), state))
        .onCommand(PodChanged.class, this::onFact)
        .onCommand(NodesChanged.class, this::onNodesChanged)
        .onCommand(Reconcile.class, (state, cmd) -> reconcile(state))
        .onCommand(AdmitAnswered.class, this::onAdmitAnswered)
        .onCommand(DeleteAnswered.class, this::onFact)
        .onCommand(NodeHolds.class, this::onNodeHolds)
        .onCommand(ResyncPods.class, this::onResyncPods);
    return builder.build();
  }

  // ---- API writes ------------------------------------------------------------------------------

  private ReplyEffect<Event, DaemonSetState> onCreate(DaemonSetState state, Create cmd) {
    if (state.exists()) {
      return Effect().reply(cmd.replyTo(), Outcome.refused(Outcome.Refusal.ALREADY_EXISTS,
          "daemonsets.apps \"" + state.daemonSet().metadata().name() + "\" already exists"));
    }
    DaemonSet created = DaemonSetObjects.forCreate(cmd.daemonSet(), clock.instant());
    return Effect().persist(new DaemonSetCreated(created, cmd.cause()))
        .thenRun(s -> scheduleReconcile())
        .thenReply(cmd.replyTo(), s -> Outcome.ok(s.daemonSet(), lastSequenceNumber(context)));
  }

  private ReplyEffect<Event, DaemonSetState> onUpdate(DaemonSetState state, Update cmd) {
    if (!state.exists()) {
      return Effect().reply(cmd.replyTo(), Outcome.refused(Outcome.Refusal.NOT_FOUND, "not found"));
    }
    if (cmd.expectedSpecVersion() >= 0 && cmd.expectedSpecVersion() != state.specVersion()) {
      return Effect().reply(cmd.replyTo(), Outcome.refused(Outcome.Refusal.CONFLICT, Outcome.CONFLICT_MESSAGE));
    }
    DaemonSet updated = DaemonSetObjects.forUpdate(state.daemonSet(), cmd.daemonSet());
    if (updated.equals(state.daemonSet())) {
      return Effect().reply(cmd.replyTo(), Outcome.ok(state.daemonSet(), lastSequenceNumber(context)));
    }
    return Effect().persist(new DaemonSetUpdated(updated, cmd.cause()))
        .thenRun(s -> scheduleReconcile())
        .thenReply(cmd.replyTo(), s -> Outcome.ok(s.daemonSet(), lastSequenceNumber(context)));
  }

  private ReplyEffect<Event, DaemonSetState> onDelete(DaemonSetState state, Delete cmd) {
    if (!state.exists()) {
      return Effect().reply(cmd.replyTo(), Outcome.refused(Outcome.Refusal.NOT_FOUND, "not found"));
    }
    String policy = cmd.propagationPolicy();
    if (state.isTerminating()) {
      return Effect().reply(cmd.replyTo(), Outcome.ok(state.daemonSet(), lastSequenceNumber(context)));
    }
    List<Event> events = switch (policy) {
      case "Orphan" -> List.of(new DaemonSetDeleted(policy, cmd.cause()));
      case "Foreground" -> List.of(new DeletionStarted(policy, clock.instant(), cmd.cause()));
      default -> List.of(new DeletionStarted(policy, clock.instant(), cmd.cause()),
          new DaemonSetDeleted(policy, cmd.cause()));
    };
    List<PodBinding> orphaned = "Orphan".equals(policy) ? state.ownBindings() : List.of();
    DaemonSet before = state.daemonSet();
    return Effect().persist(events)
        .thenRun(s -> {
          orphaned.forEach(b -> nodes.orphan(b, cmd.cause().because("DaemonSet deleted with propagation Orphan")));
          scheduleReconcile();
        })
        .thenReply(cmd.replyTo(), s -> Outcome.ok(s.exists() ? s.daemonSet() : before, lastSequenceNumber(context)));
  }

  // ---- what nodes tell ---------------------------------------------------------------------------

  /** A fact waits for the next reconcile, so that facts and the decisions they cause are one write. */
  private ReplyEffect<Event, DaemonSetState> onFact(DaemonSetState state, Command fact) {
    facts.add(fact);
    scheduleReconcile();
    return Effect().noReply();
  }

  private ReplyEffect<Event, DaemonSetState> onNodesChanged(DaemonSetState state, NodesChanged cmd) {
    List<String> changes = FleetChanges.describe(fleet, cmd.nodes());
    if (!changes.isEmpty()) {
      trigger = String.join("; ", changes.subList(0, Math.min(5, changes.size())))
          + (changes.size() > 5 ? "; and " + (changes.size() - 5) + " more" : "");
    }
    fleet = cmd.nodes();
    scheduleReconcile();
    return Effect().noReply();
  }

  /**
   * Notifications are messages and may be lost (a full stash, a member leaving): every resync period the
   * nodes of pods that are not yet running and ready, or are being deleted, are asked what they hold.
   */
  private ReplyEffect<Event, DaemonSetState> onResyncPods(DaemonSetState state, ResyncPods cmd) {
    List<String> unsettled = state.bindings().values().stream()
        .filter(b -> b.phase() != PodBinding.Phase.SCHEDULED)
        .filter(b -> b.isBeingDeleted() || b.readySince() == null)
        .map(PodBinding::nodeName).distinct().toList();
    nodes.resync(context, unsettled);
    return Effect().noReply();
  }

  /** Turns a node's current pods into facts, as if each had just been reported. */
  private ReplyEffect<Event, DaemonSetState> onNodeHolds(DaemonSetState state, NodeHolds cmd) {
    Cause cause = Cause.byController(clock.instant(), "resync with node " + cmd.nodeName());
    String namespace = key.substring(0, key.indexOf('/'));
    for (PodBinding b : state.bindings().values()) {
      if (b.nodeName().equals(cmd.nodeName()) && b.phase() != PodBinding.Phase.SCHEDULED) {
        Pod pod = cmd.node().pods().get(NodeState.podKey(namespace, b.podName()));
        facts.add(new PodChanged(cmd.nodeName(), b.podName(), pod, cause));
      }
    }
    scheduleReconcile();
    return Effect().noReply();
  }

  /** Admission refused: back off on that node before trying it again (doubling, as upstream). */
  private ReplyEffect<Event, DaemonSetState> onAdmitAnswered(DaemonSetState state, AdmitAnswered cmd) {
    if (!cmd.admitted()) {
      Backoff backoff = Backoff.next(backoffs.get(cmd.nodeName()), clock.instant());
      Map<String, Backoff> next = new java.util.HashMap<>(backoffs);
      next.put(cmd.nodeName(), backoff);
      backoffs = Map.copyOf(next);
      scheduleReconcileAt(backoff.nextAllowedAt());
    }
    return onFact(state, cmd);
  }

  // ---- reconcile -------------------------------------------------------------------------------

  private ReplyEffect<Event, DaemonSetState> reconcile(DaemonSetState state) {
    long started = System.nanoTime();
    int factCount = facts.size();
    Instant now = clock.instant();
    Facts.Applied observed = Facts.apply(state, facts, now);
    facts.clear();
    Reconciler.Result decided = Reconciler.reconcile(observed.state(), fleet, backoffs, now, DaemonPods::newPodName,
        () -> java.util.UUID.randomUUID().toString(), trigger);
    if (!decided.events().isEmpty()) {
      trigger = null;
    }
    List<Event> events = new java.util.ArrayList<>(observed.events());
    events.addAll(decided.events());
    Reconciler.Result result = new Reconciler.Result(List.copyOf(events), decided.toAdmit(), decided.toDelete(),
        decided.backoffs(), decided.requeueAt());
    backoffs = result.backoffs();
    result.requeueAt().ifPresent(this::scheduleReconcileAt);
    Runnable sendAll = () -> sendPending(result);
    io.daemonset.journal.Meters.reconciled(Duration.ofNanos(System.nanoTime() - started), factCount);
    if (result.events().isEmpty()) {
      sendAll.run();
      return Effect().noReply();
    }
    long persisting = System.nanoTime();
    return Effect().persist(result.events())
        .thenRun(s -> {
          ReconcileMeters.persisted(result.events(), persisting);
          sendAll.run();
        }).thenNoReply();
  }

  /** Re-sends every unacknowledged step: messages may be lost, the journal may not. */
  private void sendPending(Reconciler.Result result) {
    result.toAdmit().forEach(admit -> nodes.admit(context, admit.binding(), admit.pod(), admit.cause()));
    result.toDelete().forEach(delete -> nodes.delete(context, delete.binding(), delete.cause()));
  }

  private void scheduleReconcile() {
    timers.startSingleTimer("reconcile", Reconcile.INSTANCE, COALESCE);
  }

  private void scheduleReconcileAt(Instant at) {
    Duration delay = Duration.between(clock.instant(), at);
    if (delay.isNegative() || delay.isZero()) {
      scheduleReconcile();
    } else if (delay.compareTo(RESYNC) < 0) {
      timers.startSingleTimer("requeue", Reconcile.INSTANCE, delay.plusMillis(5));
    }
  }
}
