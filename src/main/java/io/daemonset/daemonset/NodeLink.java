package io.daemonset.daemonset;

import io.daemonset.model.Cause;
import io.daemonset.model.Futures;
import io.daemonset.model.Outcome;
import io.daemonset.model.Pod;
import io.daemonset.node.NodeEntity;
import io.daemonset.node.NodeState;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.RecipientRef;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.AskPattern;

/**
 * The DaemonSet's side of the binding protocol: asks nodes to admit, delete or orphan pods and turns
 * their answers into commands. Remembers what is in flight so that a reconcile re-sends a step only
 * when its answer is overdue (the steps are idempotent by pod name, so a duplicate is harmless).
 * Every step is a write on the node's side: a step is sent only with a permit of the member's
 * {@link NodeWriteBudget}, else it waits here, in order, until an answer or {@link #sendDeferred} finds one.
 */
final class NodeLink {
  private final Function<String, RecipientRef<NodeEntity.Command>> nodes;
  private final String namespace;
  private final Duration timeout;
  private final NodeWriteBudget budget;
  private final Map<String, Instant> inFlight = new HashMap<>();
  /** Steps waiting for a permit, oldest first; a newer step for the same key replaces the waiting one in place. */
  private final Map<String, Runnable> deferred = new LinkedHashMap<>();
  /** Permits this link holds: decremented where an answer completes, which may be after the entity stopped. */
  private final AtomicInteger held = new AtomicInteger();
  static final int RESYNC_WINDOW = 256;
  private final java.util.ArrayDeque<String> resyncQueue = new java.util.ArrayDeque<>();
  private int resyncInFlight;

  NodeLink(Function<String, RecipientRef<NodeEntity.Command>> nodes, String namespace, Duration timeout,
           NodeWriteBudget budget) {
    this.nodes = nodes;
    this.namespace = namespace;
    this.timeout = timeout;
    this.budget = budget;
  }

  /** The pod is rendered only when the ask is sent (see {@link NodeStep.Admit}). */
  void admit(ActorContext<DaemonSetEntity.Command> ctx, PodBinding binding, Supplier<Pod> pod,
             io.daemonset.model.LabelSelector claimSelector, Cause cause) {
    send(binding.podName(), () -> writeAsk(ctx, nodes.apply(binding.nodeName()),
        (ActorRef<NodeEntity.AdmitResult> replyTo) -> new NodeEntity.AdmitPod(pod.get(), cause, replyTo, claimSelector),
        (result, failure) -> {
          answered(binding.podName(), failure != null);
          if (failure != null) {
            return DaemonSetEntity.Reconcile.INSTANCE;
          }
          return new DaemonSetEntity.AdmitAnswered(binding.podName(), binding.nodeName(), result.admitted(),
              result.admitted() ? "node " + binding.nodeName() + " admitted pod " + binding.podName()
                  : "node " + binding.nodeName() + " rejected pod " + binding.podName() + ": " + result.reason(),
              result.alreadyExists(), result.adopted());
        }));
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
    String podKey = podKey(binding);
    send(binding.podName(), () -> writeAsk(ctx, nodes.apply(binding.nodeName()),
        (ActorRef<Outcome<Pod>> replyTo) -> new NodeEntity.DeletePod(podKey, null, cause, replyTo),
        (outcome, failure) -> {
          answered(binding.podName(), failure != null || !outcome.isOk());
          if (failure != null || !outcome.isOk()) {
            return DaemonSetEntity.Reconcile.INSTANCE;
          }
          Pod pod = outcome.value();
          return new DaemonSetEntity.DeleteAnswered(binding.podName(), pod == null, pod != null);
        }));
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
    send(binding.podName(), () -> writeAsk(ctx, nodes.apply(binding.nodeName()),
        (ActorRef<Outcome<Pod>> replyTo) -> new NodeEntity.OrphanPod(podKey(binding), cause, replyTo),
        (outcome, failure) -> {
          answered(binding.podName(), failure != null || !outcome.isOk());
          return failure != null || !outcome.isOk() ? DaemonSetEntity.Reconcile.INSTANCE
              : new DaemonSetEntity.OrphanAnswered(binding.podName(), binding.nodeName());
        }));
  }

  /**
   * Sets the pod's controller-revision-hash to the binding's (dedupCurHistories), idempotently (the node changes
   * nothing when the label is set already). Asked until answered, as the other steps: the binding keeps
   * relabelPending until the answer is persisted; a failed ask makes the next reconcile send it again. Keyed apart
   * from the binding protocol's steps so that neither holds the other back.
   */
  void relabel(ActorContext<DaemonSetEntity.Command> ctx, PodBinding binding, Cause cause) {
    String key = "relabel " + binding.podName();
    send(key, () -> writeAsk(ctx, nodes.apply(binding.nodeName()), (ActorRef<Outcome<Pod>> replyTo) ->
            new NodeEntity.SetPodLabel(podKey(binding), binding.podUid(), io.daemonset.rollout.Revisions.HASH_LABEL,
                binding.revisionHash(), cause, replyTo),
        (outcome, failure) -> {
          answered(key, failure != null);
          if (failure != null) {
            return DaemonSetEntity.Reconcile.INSTANCE;
          }
          return new DaemonSetEntity.RelabelAnswered(binding.podName(), binding.nodeName(),
              outcome.isOk() ? "label set" : "pod not held: " + outcome.message());
        }));
  }

  /** Sends the steps that waited for a permit, oldest first, as far as the budget allows. */
  void sendDeferred() {
    var waiting = deferred.entrySet().iterator();
    while (waiting.hasNext() && acquire()) {
      var step = waiting.next();
      waiting.remove();
      inFlight.put(step.getKey(), Instant.now());
      step.getValue().run();
    }
  }

  /** Whether steps wait for a permit: the entity then calls {@link #sendDeferred} again soon. */
  boolean hasDeferred() {
    return !deferred.isEmpty();
  }

  /** Sends the step now if a permit is free and none waits before it, else keeps it (replacing an older one). */
  private void send(String key, Runnable step) {
    if (deferred.containsKey(key)) {
      deferred.put(key, step);
      return;
    }
    if (isInFlight(key)) {
      return;
    }
    if (deferred.isEmpty() && acquire()) {
      inFlight.put(key, Instant.now());
      step.run();
    } else {
      deferred.put(key, step);
    }
  }

  private boolean acquire() {
    if (!budget.tryAcquire(this, held.get(), System.nanoTime())) {
      return false;
    }
    held.incrementAndGet();
    return true;
  }

  /**
   * An answer (or a failed ask) is being handled on the entity's thread: its permit is back, use it. A failed ask is
   * sent again by the next reconcile; an answer keeps its step counted in flight until the entity has taken the fact
   * into a reconcile ({@link #consumed}): the answer may come while the entity persists the very round that decided
   * the step (the fact then waits in the stash), and that round's steps, sent once the write is done, would otherwise
   * send it again, a second admission asked and answered for every pod answered during the write.
   */
  private void answered(String key, boolean resend) {
    if (resend) {
      inFlight.remove(key);
    }
    sendDeferred();
  }

  /** These facts are in the state now (a reconcile took them): their steps are no longer in flight. */
  void consumed(java.util.List<DaemonSetEntity.Fact> facts) {
    for (DaemonSetEntity.Fact fact : facts) {
      String key = fact instanceof DaemonSetEntity.AdmitAnswered a ? a.podName()
          : fact instanceof DaemonSetEntity.DeleteAnswered d ? d.podName()
          : fact instanceof DaemonSetEntity.OrphanAnswered o ? o.podName()
          : fact instanceof DaemonSetEntity.RelabelAnswered r ? "relabel " + r.podName()
          : null;
      if (key != null) {
        inFlight.remove(key);
      }
    }
  }

  /** {@link #ask} holding a permit, returned when the ask completes, whether or not the entity still runs. */
  private <Res> void writeAsk(ActorContext<DaemonSetEntity.Command> ctx, RecipientRef<NodeEntity.Command> target,
                              Function<ActorRef<Res>, NodeEntity.Command> request,
                              BiFunction<Res, Throwable, DaemonSetEntity.Command> then) {
    CompletableFuture<Res> answer = Futures.plain(AskPattern.ask(target, request::apply, timeout,
        ctx.getSystem().scheduler()));
    // the permit is back before the answer is handled (whenComplete's stage completes after its action), so that
    // the handler's sendDeferred finds it
    long sent = System.nanoTime();
    CompletableFuture<Res> released = answer.whenComplete((result, failure) -> {
      ReconcileMeters.asked(sent);
      held.decrementAndGet();
      budget.release();
    });
    ctx.pipeToSelf(released, then::apply);
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

  private boolean isInFlight(String key) {
    Instant sent = inFlight.get(key);
    return sent != null && sent.plus(timeout).isAfter(Instant.now());
  }
}
