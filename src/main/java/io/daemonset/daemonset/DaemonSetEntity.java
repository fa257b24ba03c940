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
import io.daemonset.node.Fleet;
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
  /** How often steps waiting for a permit look for one when no answer of their own frees one first. */
  static final Duration DEFERRED_RETRY = Duration.ofMillis(50);
  static final Duration NODE_ASK_TIMEOUT = Duration.ofSeconds(10);

  // ---- commands --------------------------------------------------------------------------------

  public sealed interface Command extends JsonSerializable {}

  /** Create from a defaulted, validated object; the entity assigns uid, generation and timestamps. */
  public record Create(DaemonSet daemonSet, Cause cause, ActorRef<Outcome<DaemonSet>> replyTo) implements Command {}

  /** Replace metadata and spec; expectedSpecVersion < 0 means "no precondition". */
  public record Update(DaemonSet daemonSet, long expectedSpecVersion, Cause cause, ActorRef<Outcome<DaemonSet>> replyTo)
      implements Command {}

  /**
   * A client's write of daemonsets/x/status (validated by the API): kept as written, as upstream's status strategy
   * keeps it, except status.rollout, the controller's memory of the rollout controls. The next reconcile rewrites
   * the counters and the condition types the controller sets itself (upstream storeDaemonSetStatus), and leaves the
   * other conditions. uid: the incarnation the client read (another one is NotFound).
   */
  public record UpdateStatus(DaemonSetStatus status, String uid, Cause cause, ActorRef<Outcome<DaemonSet>> replyTo)
      implements Command {}

  /** propagationPolicy: Background, Foreground or Orphan (the API resolves the default). */
  public record Delete(String propagationPolicy, Cause cause, ActorRef<Outcome<DaemonSet>> replyTo) implements Command {}

  public record Get(ActorRef<DaemonSetState> replyTo) implements Command {}

  /** What a node told: kept until the next reconcile, which turns it into events (see {@link Facts}). */
  public sealed interface Fact extends Command {}

  /** A node reports one of this DaemonSet's pods changed; pod is null when it left the node. */
  public record PodChanged(String nodeName, String podName, Pod pod, Cause cause) implements Fact {}

  /**
   * The directory's fleet, with the nodes of the fleet the same subscription delivered before it (null for the
   * first): the fleet's changed names are relative to that one, so the entity trusts them only when it holds it.
   */
  record NodesChanged(Fleet fleet, Map<String, Node> previous) implements Command {}

  enum Reconcile implements Command { INSTANCE }

  /** Steps that waited for the member's write budget ({@link NodeWriteBudget}) try again. */
  enum SendDeferred implements Command { INSTANCE }

  /** alreadyExists: the node holds another pod under that name; the binding goes and a new name is tried. */
  record AdmitAnswered(String podName, String nodeName, boolean admitted, String reason, boolean alreadyExists,
                       Pod adopted) implements Fact {
    AdmitAnswered(String podName, String nodeName, boolean admitted, String reason) {
      this(podName, nodeName, admitted, reason, false, null);
    }

    AdmitAnswered(String podName, String nodeName, boolean admitted, String reason, boolean alreadyExists) {
      this(podName, nodeName, admitted, reason, alreadyExists, null);
    }
  }

  record DeleteAnswered(String podName, boolean gone, boolean terminating) implements Fact {}

  /** The node took the ownerReference off the pod (or no longer holds it): the pod is this DaemonSet's no more. */
  record OrphanAnswered(String podName, String nodeName) implements Fact {}

  /**
   * A node answered the relabel of a pod (set the label, had it already, or does not hold that pod): the relabel is
   * done ({@link PodRelabelled}); the pod's own notification follows. An ask that failed is re-sent instead.
   */
  record RelabelAnswered(String podName, String nodeName, String outcome) implements Fact {}

  /**
   * Asked of the entity holding revisions another DaemonSet's selector matches (ClaimControllerRevisions across
   * names): mark them handed over to {@code to} (durably, before answering) and answer with them.
   */
  public record HandOverRevisions(List<String> names, io.daemonset.model.OwnerReference to,
                                  io.daemonset.model.LabelSelector selector, ActorRef<RevisionsOffered> replyTo)
      implements Command {}

  /** The holder's answer: the revisions now controlled by the asker (none: nothing to adopt there any more). */
  public record RevisionsOffered(String holderKey, List<ControllerRevision> revisions) implements JsonSerializable {}

  /** The adopter's side of a hand-over: record the offered revisions as its own, then let the holder drop them. */
  record AdoptRevisions(String holderKey, List<ControllerRevision> revisions) implements Command {}

  /** Told to the holder once the adopter recorded them: the revisions controlled by adopterUid go from its state. */
  public record ForgetRevisions(List<String> names, String adopterUid) implements Command {}

  /** Sharding's stop message after this entity asked to be passivated (its DaemonSet is gone, every pod too). */
  enum Stop implements Command { INSTANCE }

  /** Timer: reconcile the whole fleet, and ask the nodes of every pod what they hold, in case a notification was lost. */
  enum ResyncPods implements Command { INSTANCE }

  /** What a node holds now, asked for after recovery: notifications sent while we were down are lost. */
  /** A resync's answer: what the node holds now (null: it did not answer). A fact, expanded in arrival order. */
  record NodeHolds(String nodeName, NodeState node, Cause cause) implements Fact {}

  // ---- events ----------------------------------------------------------------------------------

  public sealed interface Event extends JsonSerializable {
    Cause cause();
  }

  public record DaemonSetCreated(DaemonSet daemonSet, Cause cause) implements Event {}

  public record DaemonSetUpdated(DaemonSet daemonSet, Cause cause) implements Event {}

  public record StatusChanged(DaemonSetStatus status, Cause cause) implements Event {}

  /**
   * Foreground: every pod is to be deleted; Orphan: every pod is to lose its ownerReference; both keep the object
   * visible meanwhile (finalizer foregroundDeletion or orphan, as upstream). Background: the pods are left to
   * DaemonSetDeleted (at once, or once a user's finalizer is removed).
   */
  public record DeletionStarted(String propagationPolicy, Instant deletionTimestamp, Cause cause) implements Event {
    boolean keepsObject() {
      return "Foreground".equals(propagationPolicy) || orphans();
    }

    boolean orphans() {
      return "Orphan".equals(propagationPolicy);
    }

    String finalizer() {
      return orphans() ? "orphan" : "foregroundDeletion";
    }
  }

  /**
   * Foreground or Orphan deletion is done with the dependents but a user's finalizer keeps the object: the collector's
   * own finalizer goes, as upstream's garbage collector removes foregroundDeletion or orphan, and the object waits for
   * the user. Removing orphan also orphans the revisions (they outlive the object).
   */
  public record FinalizerRemoved(String finalizer, Cause cause) implements Event {}

  /**
   * The object is gone from the API; with Orphan its pods stay on their nodes without an owner, with Background they
   * are deleted from now on (upstream's garbage collector deletes dependents once their owner is gone).
   */
  public record DaemonSetDeleted(String propagationPolicy, Cause cause) implements Event {
    boolean orphanPods() {
      return "Orphan".equals(propagationPolicy);
    }
  }

  /** A new ControllerRevision, or an existing one renumbered to the top (a rollback). */
  public record RevisionRecorded(ControllerRevision revision, Cause cause) implements Event {}

  public record RevisionsTrimmed(List<String> names, Cause cause) implements Event {}

  /** Holder: these revisions (orphans the adopter's selector matches) are controlled by {@code to} from now on. */
  public record RevisionsHandedOver(List<String> names, io.daemonset.model.OwnerReference to, Cause cause)
      implements Event {}

  /** Adopter: revisions another DaemonSet's entity handed over (names kept, as upstream adopts them in place). */
  public record RevisionsAdopted(String holderKey, List<ControllerRevision> revisions, Cause cause) implements Event {}

  /** Holder: the adopter recorded them; they leave this state (the view shows them under the adopter only). */
  public record RevisionsForgotten(List<String> names, Cause cause) implements Event {}

  /**
   * upstream dedupCurHistories: several revisions held the current template; {@code keptHash}'s stays, the
   * {@code duplicates} (revision names) go, and the pods that carried their hashes ({@code pods}) carry
   * {@code keptHash} from now on, as does the rollout's memory: none of them is taken for old.
   */
  public record RevisionsDeduplicated(String keptHash, List<String> duplicates, List<String> pods, Cause cause)
      implements Event {}

  /**
   * Pods decided for nodes. Their names come from the DaemonSet's ordinals, one per pod; {@code nextOrdinal} is
   * written only when the round skipped ordinals whose names a binding already held (a pod named by an older
   * release's formula), and is then the state's next ordinal: absent, the pods took the next {@code pods.size()}.
   */
  public record PodsScheduled(List<ScheduledPod> pods, Cause cause, Long nextOrdinal) implements Event {
    public PodsScheduled(List<ScheduledPod> pods, Cause cause) {
      this(pods, cause, null);
    }
  }

  /** The pod's node answered the relabel a {@link RevisionsDeduplicated} asked for: no more to send. */
  public record PodRelabelled(String podName, Cause cause) implements Event {}

  /** One pod decided for one node, with why (e.g. "node n7 gained label ssd=true"). */
  public record ScheduledPod(String podName, String podUid, String nodeName, String revisionHash, String why) {}

  public record PodBound(String podName, Cause cause) implements Event {}

  public record PodRejected(String podName, String nodeName, String reason, Cause cause) implements Event {}

  /**
   * What nodes answered for many pods, in the order the answers came, as one journal row: a converge binds and observes
   * thousands of pods within seconds, and a row per answer made the DaemonSet's write of them the longest step of
   * placing them (docs/architecture.md, "Events record what changed"). Each answer is a {@link PodBound} or a
   * {@link PodObserved}, with its own cause; replayed, the batch is exactly those events one after the other.
   */
  public record PodsAnswered(List<PodAnswer> answers, Cause cause) implements Event {
    public List<Event> events() {
      return answers.stream().map(PodAnswer::event).toList();
    }
  }

  /** One answer of {@link PodsAnswered}: bound (the node admitted it), or observed (phase null only when bound). */
  public record PodAnswer(String podName, boolean bound, String podPhase, Instant readySince, boolean terminating,
                          String waitingReason, Cause cause) {
    static PodAnswer of(Event event) {
      if (event instanceof PodBound b) {
        return new PodAnswer(b.podName(), true, null, null, false, null, b.cause());
      }
      PodObserved o = (PodObserved) event;
      return new PodAnswer(o.podName(), false, o.podPhase(), o.readySince(), o.terminating(), o.waitingReason(),
          o.cause());
    }

    Event event() {
      return bound ? new PodBound(podName, cause)
          : new PodObserved(podName, podPhase, readySince, terminating, cause, waitingReason);
    }
  }

  /** waitingReason: why a pod that is not ready waits (CrashLoopBackOff, Unschedulable), null otherwise or unknown. */
  public record PodObserved(String podName, String podPhase, Instant readySince, boolean terminating, Cause cause,
                            String waitingReason) implements Event {
    public PodObserved(String podName, String podPhase, Instant readySince, boolean terminating, Cause cause) {
      this(podName, podPhase, readySince, terminating, cause, null);
    }
  }

  /**
   * The rollout of a revision failed: no progress within progressDeadlineSeconds, or updated pods crash-looping.
   * The revision stays failed (applying the same template again changes nothing); the policy (Continue, Pause,
   * Rollback) then follows from it in every later reconcile. failing: "node/pod" of the pods that made it fail.
   */
  public record RolloutFailed(String revision, String reason, String message, List<String> failing, String policy,
                              Cause cause) implements Event {}

  /** A revision ran available on every node that wanted it: the last good revision, which Rollback returns to. */
  public record RevisionAvailable(String revision, Cause cause) implements Event {}

  /** The canary of a revision soaked (or the user promoted it): the rollout goes on everywhere, and stays so. */
  public record CanaryPassed(String revision, Cause cause) implements Event {}

  public record PodsDeletionRequested(List<PodDeletion> pods, Cause cause) implements Event {}

  /** One pod to delete, with why (e.g. "rolling update to revision 3", "node n2 lost label ssd"). */
  public record PodDeletion(String podName, String nodeName, String why) {}

  public record PodGone(String podName, Cause cause) implements Event {}

  /**
   * The pod's labels stopped matching the selector (a user relabelled it): this DaemonSet releases it, as upstream's
   * ClaimPods does: its node is asked to drop the ownerReference (durably, phase ORPHAN_REQUESTED), and the node
   * counts as without a pod of this DaemonSet from now on, so the replacement is decided in the same round.
   */
  public record PodReleaseRequested(String podName, String nodeName, String why, Cause cause) implements Event {}

  /**
   * Instead of admitting {@code scheduledPodName}, the node adopted an orphan whose labels match the selector:
   * that binding is replaced by one for the adopted pod (its own name, uid and revision hash).
   */
  public record PodAdopted(String scheduledPodName, String podName, String podUid, String nodeName,
                           String revisionHash, Instant createdAt, Cause cause) implements Event {}

  // ---- wiring ----------------------------------------------------------------------------------

  public static void init(ActorSystem<?> system, Clock clock) {
    init(system, clock, RevisionFinder.NONE);
  }

  /** finder: where revisions of other DaemonSets' entities are found by selector (this JVM's view of the journal). */
  public static void init(ActorSystem<?> system, Clock clock, RevisionFinder finder) {
    ReconcileWarmUp.start(system);
    NodeDirectory directory = new io.daemonset.node.ReplicatedNodeDirectory(system);
    ClusterSharding sharding = ClusterSharding.get(system);
    // Remembered, so that a rollout interrupted by a restart resumes without anyone asking.
    Function<String, RecipientRef<NodeEntity.Command>> nodes =
        name -> sharding.entityRefFor(NodeEntity.ENTITY_TYPE_KEY, name);
    Function<String, RecipientRef<Command>> daemonSets = key -> sharding.entityRefFor(ENTITY_TYPE_KEY, key);
    sharding.init(Entity.of(ENTITY_TYPE_KEY, ctx -> create(ctx.getEntityId(), directory, nodes, clock,
            new Lifecycle(ctx.getShard(), sharding.entityRefFor(ENTITY_TYPE_KEY, ctx.getEntityId())),
            new Revisions(finder, daemonSets)))
        .withStopMessage(Stop.INSTANCE)
        .withSettings(Journal.remembered(system)));
  }

  /** The observer NodeEntity uses to reach a pod's owning DaemonSet. */
  public static io.daemonset.node.PodObserver podObserver(ActorSystem<?> system) {
    ClusterSharding sharding = ClusterSharding.get(system);
    return (ownerKey, nodeName, podName, pod, cause) ->
        sharding.entityRefFor(ENTITY_TYPE_KEY, ownerKey).tell(new PodChanged(nodeName, podName, pod, cause));
  }

  /**
   * How a sharded entity leaves: passivation through its shard (which also forgets it for remember-entities),
   * and its own EntityRef, to be woken again if it was recreated while the stop was on its way.
   */
  record Lifecycle(ActorRef<ClusterSharding.ShardCommand> shard, RecipientRef<Command> self) {}

  /** How revisions of other DaemonSets' entities are found (by selector) and reached (by entity key). */
  record Revisions(RevisionFinder finder, Function<String, RecipientRef<Command>> holders) {
    static final Revisions NONE = new Revisions(RevisionFinder.NONE, key -> null);
  }

  public static Behavior<Command> create(String key, NodeDirectory directory,
                                         Function<String, RecipientRef<NodeEntity.Command>> nodes, Clock clock) {
    return create(key, directory, nodes, clock, null);
  }

  static Behavior<Command> create(String key, NodeDirectory directory,
                                  Function<String, RecipientRef<NodeEntity.Command>> nodes, Clock clock,
                                  Lifecycle lifecycle) {
    return create(key, directory, nodes, clock, lifecycle, Revisions.NONE);
  }

  static Behavior<Command> create(String key, NodeDirectory directory,
                                  Function<String, RecipientRef<NodeEntity.Command>> nodes, Clock clock,
                                  Lifecycle lifecycle, Revisions revisions) {
    return create(key, directory, nodes, clock, lifecycle, revisions, (took, state) -> ReconcileWindow.after(took));
  }

  /** How long facts gather after a reconcile that took so long and left this state ({@link ReconcileWindow}). */
  interface WindowPolicy {
    Duration after(Duration took, DaemonSetState state);
  }

  /** windowAfter: {@link ReconcileWindow} in production; tests stretch it. */
  static Behavior<Command> create(String key, NodeDirectory directory,
                                  Function<String, RecipientRef<NodeEntity.Command>> nodes, Clock clock,
                                  Lifecycle lifecycle, Revisions revisions, WindowPolicy windowAfter) {
    return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> {
      // Numbering would do as well; the previous fleet's nodes let onNodesChanged check by identity that it saw it.
      java.util.concurrent.atomic.AtomicReference<Map<String, Node>> delivered =
          new java.util.concurrent.atomic.AtomicReference<>();
      directory.subscribe(ctx, fleet -> new NodesChanged(fleet, delivered.getAndSet(fleet.nodes())));
      timers.startTimerWithFixedDelay("resync", ResyncPods.INSTANCE, RESYNC);
      String namespace = key.substring(0, key.indexOf('/'));
      NodeLink link = new NodeLink(nodes, namespace, NODE_ASK_TIMEOUT, NodeWriteBudget.get(ctx.getSystem()));
      return new DaemonSetEntity(ctx, timers, key, link, clock, lifecycle, revisions, windowAfter);
    }));
  }

  private final ActorContext<Command> context;
  private final TimerScheduler<Command> timers;
  private final String key;
  private final NodeLink nodes;
  private final Clock clock;
  private final Lifecycle lifecycle;
  private final Revisions otherRevisions;
  private final WindowPolicy windowAfter;
  /**
   * Runtime only: a DaemonSet just created records no revision of its own until the revisions it asked other entities
   * for arrived (or this instant passed): else it would record a duplicate of a revision it is about to adopt.
   */
  private Instant historyHeldUntil = Instant.MIN;
  /** The fleet as the node directory last showed it; unknown until the first view arrives. */
  private Fleet fleet = Fleet.UNKNOWN;
  private boolean fleetSeen;
  /** Runtime only: what nodes said since the last reconcile (see {@link Facts}). */
  private final List<Fact> facts = new java.util.ArrayList<>();
  /** What changed since the last reconcile; the trigger stays until a decision names it. */
  private Changes changes = Changes.RESYNC;
  /** Runtime only: failed-pod and admission backoffs, reset by a restart as upstream's are. */
  private Backoffs backoffs = Backoffs.NONE;
  /** Runtime only: the last reconcile's judgement of the fleet, reused for nodes that did not change. */
  private Eligibilities eligibilities = Eligibilities.NONE;
  /** Runtime only: the last reconcile's node views, rebuilt only where something changed. */
  private NodeViews views = NodeViews.NONE;
  /**
   * Runtime only: the fleet's nodes the last reconcile saw (null before one), from which {@link #changes} counts the
   * nodes changed since: the next reconcile compares only those ({@link FleetDelta}).
   */
  private Map<String, Node> reconciledFleet;
  /**
   * Runtime only: the state the last reconcile left, and the sequence number its write (if any) reached. While nothing
   * else was persisted since, it equals the entity's state (the same events applied to the same state: the event
   * handler is pure), and it holds the very objects {@link #views} were built from, so the next reconcile compares
   * the bindings its facts name instead of walking all of them.
   */
  private DaemonSetState reconciled;
  private long reconciledAt = -1;
  /** Runtime only: how long the last reconcile's write took (the window counts it with the deciding). */
  private Duration lastWrite = Duration.ZERO;
  /** Runtime only: System.nanoTime() when the last reconcile finished deciding (a join waits out the rest of a window). */
  private long reconcileEnded = System.nanoTime() - ReconcileWindow.MAX.toNanos();
  /** Runtime only: how long facts gather before the next reconcile, from the last one's cost. */
  private Duration window = COALESCE;
  /** Runtime only: how long the last reconcile took to decide (a join's spacing counts only this, see below). */
  private Duration lastDecided = Duration.ZERO;
  /** Runtime only: System.nanoTime() at which the pending "reconcile" timer fires. */
  private long reconcileDueAt;
  /** Runtime only: the steps and unready pods the last reconcile left waiting for an answer. */
  private Outstanding outstanding = Outstanding.NONE;
  private boolean passivating;
  /**
   * Runtime only: where to claim orphans after the next reconcile (see {@link OrphanClaims}): every node holding some
   * of this namespace (claimAll: just created or recovered, a resync), or those that just came to hold some or whose
   * orphans were relabelled.
   */
  private boolean claimAll = true;
  private final Set<String> claimDue = new java.util.HashSet<>();

  private DaemonSetEntity(ActorContext<Command> context, TimerScheduler<Command> timers, String key, NodeLink nodes,
                          Clock clock, Lifecycle lifecycle, Revisions otherRevisions,
                          WindowPolicy windowAfter) {
    super(PersistenceId.of(ENTITY_TYPE_KEY.name(), key), io.daemonset.journal.Journal.PERSIST_FAILURE_BACKOFF);
    this.context = context;
    this.timers = timers;
    this.key = key;
    this.nodes = nodes;
    this.clock = clock;
    this.lifecycle = lifecycle;
    this.otherRevisions = otherRevisions;
    this.windowAfter = windowAfter;
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
          claimRevisions(state);
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
        .onCommand(UpdateStatus.class, this::onUpdateStatus)
        .onCommand(Delete.class, this::onDelete)
        .onCommand(Get.class, (state, cmd) -> Effect().reply(cmd.replyTo(), state))
        .onCommand(PodChanged.class, this::onFact)
        .onCommand(NodesChanged.class, this::onNodesChanged)
        .onCommand(Reconcile.class, (state, cmd) -> reconcile(state))
        .onCommand(SendDeferred.class, (state, cmd) -> {
          nodes.sendDeferred();
          retryDeferredSteps();
          return Effect().noReply();
        })
        .onCommand(AdmitAnswered.class, this::onAdmitAnswered)
        .onCommand(DeleteAnswered.class, this::onFact)
        .onCommand(OrphanAnswered.class, this::onFact)
        .onCommand(RelabelAnswered.class, this::onFact)
        .onCommand(NodeHolds.class, this::onNodeHolds)
        .onCommand(ResyncPods.class, this::onResyncPods)
        .onCommand(HandOverRevisions.class, this::onHandOverRevisions)
        .onCommand(AdoptRevisions.class, this::onAdoptRevisions)
        .onCommand(ForgetRevisions.class, this::onForgetRevisions)
        .onCommand(Stop.class, this::onStop);
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
        .thenRun(s -> {
          // upstream's ClaimPods runs in the first sync: orphans left by `delete --cascade=orphan` are adopted now
          claimAll = true;
          if (claimRevisions(s)) {
            historyHeldUntil = clock.instant().plus(NODE_ASK_TIMEOUT);
          }
          scheduleReconcile();
        })
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

  private ReplyEffect<Event, DaemonSetState> onUpdateStatus(DaemonSetState state, UpdateStatus cmd) {
    if (!state.exists() || (cmd.uid() != null && !cmd.uid().equals(state.uid()))) {
      return Effect().reply(cmd.replyTo(), Outcome.refused(Outcome.Refusal.NOT_FOUND, "not found"));
    }
    DaemonSetStatus written = cmd.status().withRollout(state.status().rollout());
    if (written.equals(state.status())) {
      return Effect().reply(cmd.replyTo(), Outcome.ok(state.daemonSet(), lastSequenceNumber(context)));
    }
    return Effect().persist(new StatusChanged(written, cmd.cause()))
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
    // What nodes said since the last reconcile comes first: a pod already gone from its node (a node removed a
    // moment ago) is not decided for deletion again.
    Facts.Applied observed = Facts.apply(state, facts, backoffs, clock.instant());
    nodes.consumed(facts);
    facts.clear();
    backoffs = observed.backoffs();
    List<Event> events = new java.util.ArrayList<>(observed.events());
    // Orphan, like Foreground, keeps the object until every pod is released, durably: the orphan steps are
    // re-sent until each node acknowledges, so a crash cannot leave a pod pointing at a deleted owner.
    events.add(new DeletionStarted(policy, clock.instant(), cmd.cause()));
    // Background removes the object at once, unless a user's finalizer keeps it (the reconcile then removes it once
    // the last one is gone, as the API server does); its pods go with the object, not before (DaemonSetDeleted).
    if (!"Orphan".equals(policy) && !"Foreground".equals(policy)
        && DaemonSetObjects.userFinalizers(state.daemonSet().metadata()).isEmpty()) {
      events.add(new DaemonSetDeleted(policy, cmd.cause()));
    }
    DaemonSet before = state.daemonSet();
    return Effect().persist(events)
        .thenRun(s -> scheduleReconcile())
        .thenReply(cmd.replyTo(), s -> Outcome.ok(s.exists() ? s.daemonSet() : before, lastSequenceNumber(context)));
  }

  // ---- what nodes tell ---------------------------------------------------------------------------

  /**
   * A fact waits for the next reconcile, so that facts and the decisions they cause are one write; the last answer
   * awaited (the last create or delete, the last pod to turn Ready) waits no longer than the coalescing delay.
   */
  private ReplyEffect<Event, DaemonSetState> onFact(DaemonSetState state, Fact fact) {
    facts.add(fact);
    if (outstanding.heardTheLast(fact)) {
      startReconcileTimer(COALESCE);
    } else {
      scheduleReconcile();
    }
    return Effect().noReply();
  }

  private ReplyEffect<Event, DaemonSetState> onNodesChanged(DaemonSetState state, NodesChanged cmd) {
    Map<String, Node> before = fleetSeen ? fleet.nodes() : null;
    // The directory's changed names are relative to the fleet it delivered before this one: trusted only when that is
    // the one held here (a notification dropped in between would otherwise hide its changes from every reconcile).
    Set<String> candidates = before != null && cmd.previous() == before ? cmd.fleet().changed() : null;
    Set<String> changed = FleetChanges.namesChanged(before, cmd.fleet().nodes(), candidates);
    List<String> described = FleetChanges.describe(before, cmd.fleet().nodes(), changed);
    String trigger = described.isEmpty() ? null : String.join("; ", described.subList(0, Math.min(5, described.size())))
        + (described.size() > 5 ? "; and " + (described.size() - 5) + " more" : "");
    changes = changes.and(new Changes(false, before == null, changed, Set.of(), trigger));
    claimDue.addAll(OrphanClaims.newlyHoldingOrRelabelled(fleetSeen ? fleet : null, cmd.fleet(), namespace()));
    boolean joinedOnly = before != null && !changed.isEmpty()
        && changed.stream().noneMatch(before::containsKey);
    fleet = cmd.fleet();
    fleetSeen = true;
    if (joinedOnly) {
      scheduleReconcileForJoin();
    } else {
      scheduleReconcile();
    }
    return Effect().noReply();
  }

  /**
   * Notifications are messages and may be lost (a full stash, a member leaving): every resync period the
   * nodes of every pod are asked what they hold, bound and Ready ones included; the answers become facts,
   * and only what differs from the binding becomes an event ({@link PodObservation} compares phase,
   * readiness and termination, not whole objects).
   */
  private ReplyEffect<Event, DaemonSetState> onResyncPods(DaemonSetState state, ResyncPods cmd) {
    List<String> nodesWithPods = state.bindings().values().stream()
        .filter(b -> b.phase() != PodBinding.Phase.SCHEDULED)
        .map(PodBinding::nodeName).distinct().toList();
    nodes.resync(context, nodesWithPods);
    claimAll = true;
    claimRevisions(state);
    changes = changes.and(Changes.RESYNC);
    scheduleReconcile();
    return Effect().noReply();
  }

  /**
   * Upstream's ClaimPods runs in every sync; here after the reconcile that follows a creation, a recovery, a resync,
   * or a node coming to hold orphans of this namespace, on the nodes {@link OrphanClaims} names: none when no node
   * holds an orphan, whatever the fleet's size.
   */
  private void claimOrphans(DaemonSetState state) {
    if (!claimAll && claimDue.isEmpty()) {
      return;
    }
    List<String> targets = OrphanClaims.targets(state, fleet, claimAll ? null : claimDue);
    String why = claimAll ? "claim orphan pods" : "node holds new or relabelled orphan pods";
    claimAll = false;
    claimDue.clear();
    if (targets.isEmpty()) {
      return;
    }
    DaemonSet ds = state.daemonSet();
    nodes.claimOrphans(targets, ds.spec().selector(), DaemonPods.controllerOf(ds),
        Cause.byController(clock.instant(), why + " for DaemonSet " + ds.metadata().name() + " on "
            + (targets.size() == 1 ? "node " + targets.get(0) : targets.size() + " nodes")));
  }

  private String namespace() {
    return key.substring(0, key.indexOf('/'));
  }

  /** A resync answer: the next ask of the round goes out; the answer waits for the reconcile like any fact. */
  private ReplyEffect<Event, DaemonSetState> onNodeHolds(DaemonSetState state, NodeHolds cmd) {
    nodes.resyncAnswered(context);
    return cmd.node() == null ? Effect().noReply() : onFact(state, cmd);
  }

  private ReplyEffect<Event, DaemonSetState> onAdmitAnswered(DaemonSetState state, AdmitAnswered cmd) {
    return onFact(state, cmd);
  }

  // ---- revisions of other DaemonSets (upstream's ClaimControllerRevisions across names) ----------------

  /**
   * Asks each entity holding revisions this DaemonSet may adopt to hand them over; false when the view shows none.
   * Creation, recovery and every resync ask: a hand-over interrupted by a crash on either side is finished then (the
   * finder also shows revisions handed to this uid that their holder still has).
   */
  private boolean claimRevisions(DaemonSetState state) {
    if (!state.exists() || state.isTerminating() || state.daemonSet().spec().selector().isEmpty()) {
      return false;
    }
    DaemonSet ds = state.daemonSet();
    Map<String, List<String>> holders = otherRevisions.finder().adoptable(ds.metadata().namespace(),
        ds.spec().selector(), key, ds.metadata().uid());
    holders.forEach((holderKey, names) -> {
      RecipientRef<Command> holder = otherRevisions.holders().apply(holderKey);
      if (holder == null) {
        return;
      }
      context.pipeToSelf(io.daemonset.model.Futures.plain(org.apache.pekko.actor.typed.javadsl.AskPattern.ask(holder,
              (ActorRef<RevisionsOffered> replyTo) -> new HandOverRevisions(names, DaemonPods.controllerOf(ds),
                  ds.spec().selector(), replyTo), NODE_ASK_TIMEOUT, context.getSystem().scheduler())),
          (offered, failure) -> new AdoptRevisions(holderKey, failure != null ? List.of() : offered.revisions()));
    });
    return !holders.isEmpty();
  }

  /** The holder's side: persist that they are the asker's now, then answer with them (idempotent). */
  private ReplyEffect<Event, DaemonSetState> onHandOverRevisions(DaemonSetState state, HandOverRevisions cmd) {
    Map<String, ControllerRevision> offered = OrphanRevisions.handOverable(state.revisions(), cmd.names(),
        cmd.selector(), cmd.to());
    List<String> newly = offered.keySet().stream()
        .filter(name -> !OrphanRevisions.controlledBy(state.revisions().get(name), cmd.to().uid())).toList();
    RevisionsOffered answer = new RevisionsOffered(key, List.copyOf(offered.values()));
    if (newly.isEmpty()) {
      return Effect().reply(cmd.replyTo(), answer);
    }
    return Effect().persist(new RevisionsHandedOver(newly, cmd.to(), Cause.byController(clock.instant(),
            "revisions " + newly + " handed over to " + cmd.to().kind() + " " + cmd.to().name()
                + ": their labels match its selector")))
        .thenReply(cmd.replyTo(), s -> answer);
  }

  /** The adopter's side: record what was offered (once), then tell the holder to drop its copies. */
  private ReplyEffect<Event, DaemonSetState> onAdoptRevisions(DaemonSetState state, AdoptRevisions cmd) {
    if (!state.exists() || cmd.revisions().isEmpty()) {
      releaseHistory();
      return Effect().noReply();
    }
    String uid = state.uid();
    List<ControllerRevision> mine = cmd.revisions().stream()
        .filter(r -> OrphanRevisions.controlledBy(r, uid)).toList();
    List<ControllerRevision> added = mine.stream()
        .filter(r -> !state.revisions().containsKey(r.metadata().name())).toList();
    List<String> names = mine.stream().map(r -> r.metadata().name()).toList();
    Runnable forget = () -> {
      RecipientRef<Command> holder = otherRevisions.holders().apply(cmd.holderKey());
      if (holder != null && !names.isEmpty()) {
        holder.tell(new ForgetRevisions(names, uid));
      }
      releaseHistory();
    };
    if (added.isEmpty()) {
      forget.run();
      return Effect().noReply();
    }
    return Effect().persist(new RevisionsAdopted(cmd.holderKey(), added, Cause.byController(clock.instant(),
            "adopted revisions " + added.stream().map(r -> r.metadata().name()).toList() + " of "
                + cmd.holderKey() + ": their labels match the selector")))
        .thenRun(s -> forget.run())
        .thenNoReply();
  }

  private void releaseHistory() {
    if (!historyHeldUntil.equals(Instant.MIN)) {
      historyHeldUntil = Instant.MIN;
      scheduleReconcile();
    }
  }

  /** The holder drops the revisions the adopter recorded (only those it controls: a late duplicate changes nothing). */
  private ReplyEffect<Event, DaemonSetState> onForgetRevisions(DaemonSetState state, ForgetRevisions cmd) {
    List<String> gone = cmd.names().stream().filter(name -> state.revisions().containsKey(name)
        && OrphanRevisions.controlledBy(state.revisions().get(name), cmd.adopterUid())).toList();
    if (gone.isEmpty()) {
      return Effect().noReply();
    }
    return Effect().persist(new RevisionsForgotten(gone, Cause.byController(clock.instant(),
            "revisions " + gone + " adopted by another DaemonSet")))
        .thenRun(s -> scheduleReconcile())
        .thenNoReply();
  }

  // ---- reconcile -------------------------------------------------------------------------------

  /** Builds the input, persists what the pure reconcile decided, then sends its steps. */
  private ReplyEffect<Event, DaemonSetState> reconcile(DaemonSetState state) {
    if (clock.instant().isBefore(historyHeldUntil)) {
      scheduleReconcileAt(historyHeldUntil);
      return Effect().noReply();
    }
    // This round takes in every fact and change so far: a reconcile already scheduled for them would find nothing
    // new. It happens right after a creation: the timer the recovery started fires while the Created write is
    // persisted, its Reconcile waits in the stash and serves the creation, and the creation's own timer then ran a
    // second, empty round (deciding over the whole fleet, and a window counted from it). Cancelling drops its
    // message even when it already waits in the mailbox. The requeue timer (a backoff's end, a soak) is its own key.
    timers.cancel("reconcile");
    long started = System.nanoTime();
    int factCount = facts.size();
    DaemonSetState input = reconciled != null && reconciledAt == lastSequenceNumber(context) ? reconciled : state;
    FleetDelta delta = reconciledFleet == null || changes.resync() ? FleetDelta.UNKNOWN
        : new FleetDelta(reconciledFleet, changes.nodesChanged());
    ReconcileOutput out = Reconciler.reconcile(
        new ReconcileInput(input, fleet, facts, changes, backoffs, clock.instant(), eligibilities, views, delta));
    reconciledFleet = fleet.nodes();
    reconciled = null;
    nodes.consumed(facts);
    facts.clear();
    changes = out.decided() ? Changes.NONE : new Changes(false, false, Set.of(), Set.of(), changes.trigger());
    backoffs = out.backoffs();
    eligibilities = out.eligibilities();
    views = out.views();
    out.requeueAt().ifPresent(this::scheduleReconcileAt);
    reconcileEnded = System.nanoTime();
    Duration took = Duration.ofNanos(reconcileEnded - started);
    // Spaced by deciding and writing: a cheap reconcile must not multiply the writes that queue on the journal.
    window = windowAfter.after(took.plus(lastWrite), out.state());
    lastDecided = took;
    outstanding = Outstanding.of(out.state(), out.views(), clock.instant());
    io.daemonset.journal.Meters.reconciled(took, factCount);
    if (out.events().isEmpty()) {
      reconciled = out.state();
      reconciledAt = lastSequenceNumber(context);
      afterReconcile(out);
      return Effect().noReply();
    }
    long persisting = System.nanoTime();
    return Effect().persist(out.events())
        .thenRun(s -> {
          reconciled = out.state();
          reconciledAt = lastSequenceNumber(context);
          lastWrite = Duration.ofNanos(System.nanoTime() - persisting);
          ReconcileMeters.persisted(out.events(), persisting);
          afterReconcile(out);
        }).thenNoReply();
  }

  /** Re-sends every unacknowledged step (messages may be lost, the journal may not), or leaves when done. */
  private void afterReconcile(ReconcileOutput out) {
    for (NodeStep step : out.steps()) {
      if (step instanceof NodeStep.Admit admit) {
        nodes.admit(context, admit.binding(), admit.rendering(), admit.claimSelector(), admit.cause());
      } else if (step instanceof NodeStep.Delete delete) {
        nodes.delete(context, delete.binding(), delete.cause());
      } else if (step instanceof NodeStep.Orphan orphan) {
        nodes.orphan(context, orphan.binding(), orphan.cause());
      } else if (step instanceof NodeStep.Relabel relabel) {
        nodes.relabel(context, relabel.binding(), relabel.cause());
      }
    }
    retryDeferredSteps();
    DaemonSetState state = out.state();
    if (fleetSeen) {
      claimOrphans(state);
    }
    if (!state.exists() && state.bindings().isEmpty() && facts.isEmpty() && lifecycle != null && !passivating) {
      // Gone, and no pod left to see off: stop, and be forgotten by remember-entities.
      passivating = true;
      lifecycle.shard().tell(new ClusterSharding.Passivate<>(context.getSelf()));
    }
  }

  /** While steps wait for a permit, look again shortly: other DaemonSets' answers free permits too. */
  private void retryDeferredSteps() {
    if (nodes.hasDeferred() && !timers.isTimerActive("send-deferred")) {
      timers.startSingleTimer("send-deferred", SendDeferred.INSTANCE, DEFERRED_RETRY);
    }
  }

  /** The stop passivation asked for; if the DaemonSet was created again meanwhile, wake up again at once. */
  private ReplyEffect<Event, DaemonSetState> onStop(DaemonSetState state, Stop cmd) {
    if (state.exists() && lifecycle != null) {
      lifecycle.self().tell(Reconcile.INSTANCE);
    }
    return Effect().stop().thenNoReply();
  }

  /**
   * At most one reconcile per coalescing window ({@link ReconcileWindow}: 20 ms, longer when reconciles are
   * expensive), counted from the first fact that waits: a timer restarted on every fact would be a debounce, and a steady stream of node answers (a converge: one every few milliseconds) would
   * postpone the reconcile, and every binding and status it writes, until the stream paused.
   */
  private void scheduleReconcile() {
    if (!timers.isTimerActive("reconcile")) {
      startReconcileTimer(window);
    }
  }

  private void startReconcileTimer(Duration delay) {
    timers.startSingleTimer("reconcile", Reconcile.INSTANCE, delay);
    reconcileDueAt = System.nanoTime() + delay.toNanos();
  }

  /**
   * A notification that only adds nodes: reconciles are still spaced (at least four times the last round's deciding
   * from its end to the next, so the share of time spent deciding stays bounded), but a DaemonSet gives the joined
   * nodes their pods after the coalescing delay once that spacing has passed, instead of waiting a whole window
   * counted from the notification, or the rest of a window other facts started.
   */
  private void scheduleReconcileForJoin() {
    // Spaced by deciding alone, and sooner than a window already running: the window counts the last write too (up
    // to 500 ms on a busy journal), and while the answers and status reports of earlier joins keep a window running
    // a joining node waited for the rest of it. The joined node's pods still go into the round's one write with the
    // facts and the status; a stream of joins makes more, smaller rounds (sched9b, docs/performance.md).
    Duration joinWindow = windowAfter.after(lastDecided, reconciled != null ? reconciled : DaemonSetState.EMPTY);
    Duration rest = joinWindow.minus(Duration.ofNanos(System.nanoTime() - reconcileEnded));
    Duration delay = rest.compareTo(COALESCE) > 0 ? rest : COALESCE;
    if (timers.isTimerActive("reconcile") && reconcileDueAt - System.nanoTime() <= delay.toNanos()) {
      return; // due sooner anyway
    }
    startReconcileTimer(delay);
  }

  /** Later than the coalescing delay: another reconcile meanwhile does not cancel it (its own timer key). */
  private void scheduleReconcileAt(Instant at) {
    Duration delay = Duration.between(clock.instant(), at);
    if (delay.compareTo(COALESCE) <= 0) {
      scheduleReconcile();
    } else if (delay.compareTo(RESYNC) < 0) {
      timers.startSingleTimer("requeue", Reconcile.INSTANCE, delay.plusMillis(5));
    }
  }
}
