package io.daemonset.daemonset;

import io.daemonset.model.Cause;
import io.daemonset.model.Outcome;
import io.daemonset.model.Pod;
import io.daemonset.node.NodeEntity;
import io.daemonset.node.NodeState;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Function;
import io.daemonset.model.Futures;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.RecipientRef;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.AskPattern;

/**
 * The DaemonSet's side of the binding protocol: asks nodes to admit, delete or orphan pods and turns
 * their answers into commands. Remembers what is in flight so that a reconcile re-sends a step only
 * when its answer is overdue (the steps are idempotent by pod name, so a duplicate is harmless).
 */
final class NodeLink {
  private final Function<String, RecipientRef<NodeEntity.Command>> nodes;
  private final String namespace;
  private final Duration timeout;
  private final Map<String, Instant> inFlight = new HashMap<>();
  static final int RESYNC_WINDOW = 256;
  private final java.util.ArrayDeque<String> resyncQueue = new java.util.ArrayDeque<>();
  private int resyncInFlight;

  NodeLink(Function<String, RecipientRef<NodeEntity.Command>> nodes, String namespace, Duration timeout) {
    this.nodes = nodes;
    this.namespace = namespace;
    this.timeout = timeout;
  }

  void admit(ActorContext<DaemonSetEntity.Command> ctx, PodBinding binding, Pod pod,
             io.daemonset.model.LabelSelector claimSelector, Cause cause) {
    if (!startSending(binding.podName())) {
      return;
    }
    RecipientRef<NodeEntity.Command> node = nodes.apply(binding.nodeName());
    ask(ctx, node, (ActorRef<NodeEntity.AdmitResult> replyTo) -> new NodeEntity.AdmitPod(pod, cause, replyTo, claimSelector),
        (result, failure) -> {
          inFlight.remove(binding.podName());
          if (failure != null) {
            return DaemonSetEntity.Reconcile.INSTANCE;
          }
          return new DaemonSetEntity.AdmitAnswered(binding.podName(), binding.nodeName(), result.admitted(),
              result.admitted() ? "node " + binding.nodeName() + " admitted pod " + binding.podName()
                  : "node " + binding.nodeName() + " rejected pod " + binding.podName() + ": " + result.reason(),
              result.alreadyExists(), result.adopted());
        });
  }

  /**
   * Upstream's ClaimPods, node by node: each node adopts the orphans of this namespace the selector matches and
   * tells the owner as of its own pods. Told, not asked: a lost message is made good by the next resync.
   */
  void claimOrphans(Iterable<String> nodeNames, io.daemonset.model.LabelSelector selector,
                    io.daemonset.model.OwnerReference owner, Cause cause) {
    NodeEntity.ClaimOrphans claim = new NodeEntity.ClaimOrphans(namespace, selector, owner, cause);
    for (String nodeName : nodeNames) {
      nodes.apply(nodeName).tell(claim);
    }
  }

  void delete(ActorContext<DaemonSetEntity.Command> ctx, PodBinding binding, Cause cause) {
    if (!startSending(binding.podName())) {
      return;
    }
    RecipientRef<NodeEntity.Command> node = nodes.apply(binding.nodeName());
    String podKey = podKey(binding);
    ask(ctx, node, (ActorRef<Outcome<Pod>> replyTo) -> new NodeEntity.DeletePod(podKey, null, cause, replyTo),
        (outcome, failure) -> {
          inFlight.remove(binding.podName());
          if (failure != null || !outcome.isOk()) {
            return DaemonSetEntity.Reconcile.INSTANCE;
          }
          Pod pod = outcome.value();
          return new DaemonSetEntity.DeleteAnswered(binding.podName(), pod == null, pod != null);
        });
  }

  /**
   * Asks each node what it holds now; the answers come back as NodeHolds (state null: the node did not answer, the
   * next round asks again). One round at a time, at most {@link #RESYNC_WINDOW} asks in flight, the next sent as
   * answers arrive ({@link #resyncAnswered}): a DaemonSet on 5,000 nodes does not flood itself (its stash) with
   * 5,000 answers at once, and a round that outlasts the resync period is not doubled.
   */
  void resync(ActorContext<DaemonSetEntity.Command> ctx, java.util.List<String> nodeNames) {
    if (!resyncQueue.isEmpty() || resyncInFlight > 0) {
      return;
    }
    resyncQueue.addAll(nodeNames);
    pumpResync(ctx);
  }

  /** One resync answer arrived (NodeHolds): send the next ask of the round. */
  void resyncAnswered(ActorContext<DaemonSetEntity.Command> ctx) {
    pumpResync(ctx);
  }

  private void pumpResync(ActorContext<DaemonSetEntity.Command> ctx) {
    while (resyncInFlight < RESYNC_WINDOW && !resyncQueue.isEmpty()) {
      String nodeName = resyncQueue.poll();
      resyncInFlight++;
      // the mapping runs on the entity's thread (Pekko applies it when the adapted message is processed)
      ask(ctx, nodes.apply(nodeName), (ActorRef<NodeState> replyTo) -> new NodeEntity.Get(replyTo),
          (state, failure) -> {
            resyncInFlight--;
            return new DaemonSetEntity.NodeHolds(nodeName, failure != null ? null : state,
                Cause.byController(Instant.now(), "resync with node " + nodeName));
          });
    }
  }

  /** Asked until answered: the answer (the pod without its controller, or gone) ends the binding. */
  void orphan(ActorContext<DaemonSetEntity.Command> ctx, PodBinding binding, Cause cause) {
    if (!startSending(binding.podName())) {
      return;
    }
    ask(ctx, nodes.apply(binding.nodeName()),
        (ActorRef<Outcome<Pod>> replyTo) -> new NodeEntity.OrphanPod(podKey(binding), cause, replyTo),
        (outcome, failure) -> {
          inFlight.remove(binding.podName());
          return failure != null || !outcome.isOk() ? DaemonSetEntity.Reconcile.INSTANCE
              : new DaemonSetEntity.OrphanAnswered(binding.podName(), binding.nodeName());
        });
  }

  /**
   * Sets the pod's controller-revision-hash to the binding's (dedupCurHistories), idempotently (the node changes
   * nothing when the label is set already). Asked until answered, as the other steps: the binding keeps
   * relabelPending until the answer is persisted; a failed ask makes the next reconcile send it again. Keyed apart
   * from the binding protocol's steps so that neither holds the other back.
   */
  void relabel(ActorContext<DaemonSetEntity.Command> ctx, PodBinding binding, Cause cause) {
    String key = "relabel " + binding.podName();
    if (!startSending(key)) {
      return;
    }
    ask(ctx, nodes.apply(binding.nodeName()), (ActorRef<Outcome<Pod>> replyTo) -> new NodeEntity.SetPodLabel(
            podKey(binding), binding.podUid(), io.daemonset.rollout.Revisions.HASH_LABEL, binding.revisionHash(), cause,
            replyTo),
        (outcome, failure) -> {
          inFlight.remove(key);
          if (failure != null) {
            return DaemonSetEntity.Reconcile.INSTANCE;
          }
          return new DaemonSetEntity.RelabelAnswered(binding.podName(), binding.nodeName(),
              outcome.isOk() ? "label set" : "pod not held: " + outcome.message());
        });
  }

  /**
   * {@code ctx.ask} without its thread per answer: Pekko's javadsl pipeToSelf calls {@code handle} on the ask's
   * Scala-converted stage, which runs it as {@code handleAsync} on CompletableFuture's default executor, a new
   * thread per task on 2 cores. A plain future's {@code handle} runs on the completing thread.
   */
  private <Res> void ask(ActorContext<DaemonSetEntity.Command> ctx, RecipientRef<NodeEntity.Command> target,
                         Function<ActorRef<Res>, NodeEntity.Command> request,
                         BiFunction<Res, Throwable, DaemonSetEntity.Command> then) {
    ctx.pipeToSelf(Futures.plain(AskPattern.ask(target, request::apply, timeout, ctx.getSystem().scheduler())),
        then::apply);
  }

  private String podKey(PodBinding binding) {
    return NodeState.podKey(namespace, binding.podName());
  }

  private boolean startSending(String podName) {
    Instant now = Instant.now();
    Instant sent = inFlight.get(podName);
    if (sent != null && sent.plus(timeout).isAfter(now)) {
      return false;
    }
    inFlight.put(podName, now);
    return true;
  }
}
