package io.daemonset.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.daemonset.daemonset.DaemonSetEntity;
import io.daemonset.model.Cause;
import io.daemonset.model.Json;
import io.daemonset.model.Namespace;
import io.daemonset.model.ObjectMeta;
import io.daemonset.model.PlainObjectRules;
import io.daemonset.node.NodeEntity;
import io.daemonset.objects.ObjectEntity;
import io.daemonset.view.ObjectIndex;
import io.daemonset.view.ObjectStore;
import java.time.Clock;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.pekko.actor.typed.ActorSystem;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The namespace lifecycle controller, on every member (its steps are idempotent: a second member's identical
 * request finds the work done): at start-up it creates the namespaces that must exist ({@link
 * NamespaceCleanup#missing}); then, twice a second while some namespace is terminating, it carries out
 * {@link NamespaceCleanup#plan}. Level-triggered from the view, so a restart mid-way simply carries on.
 */
final class NamespaceController {
  static final String ACTOR = "namespace-controller";
  private static final Logger LOG = LoggerFactory.getLogger(NamespaceController.class);
  private static final Duration PERIOD = Duration.ofMillis(500);

  private final ObjectStore store;
  private final Clock clock;
  /** Requests sent and not yet answered, so that a slow step is not sent again every period. */
  private final Set<String> inFlight = ConcurrentHashMap.newKeySet();

  private NamespaceController(ObjectStore store, Clock clock) {
    this.store = store;
    this.clock = clock;
  }

  static void start(ActorSystem<?> system, CompletionStage<?> memberUp, ObjectStore store, Clock clock) {
    NamespaceController controller = new NamespaceController(store, clock);
    memberUp.thenCompose(up -> store.view().caughtUp()).thenRun(() -> {
      controller.createMissing();
      system.scheduler().scheduleWithFixedDelay(PERIOD, PERIOD, controller::tick, system.executionContext());
    });
  }

  private void createMissing() {
    for (String name : NamespaceCleanup.missing(store.index())) {
      Namespace ns = (Namespace) PlainObjectRules.defaults(new Namespace(null, null, ObjectMeta.named(null, name),
          null, null));
      Cause cause = cause("namespace " + name + " created at start-up ("
          + (name.equals("default") || name.equals("kube-system") ? "a namespace every cluster has"
              : "it holds objects stored before namespaces were served") + ")");
      send("create " + name, store.plainObject(ObjectIndex.NAMESPACES, null, name,
          r -> new ObjectEntity.Create(ObjectIndex.NAMESPACES, Json.tree(ns), cause, r)));
    }
  }

  private void tick() {
    try {
      for (Namespace ns : NamespaceCleanup.terminating(store.index())) {
        clean(ns);
      }
    } catch (RuntimeException e) {
      LOG.warn("namespace cleanup failed, retrying: {}", e.toString());
    }
  }

  private void clean(Namespace ns) {
    String name = ns.metadata().name();
    NamespaceCleanup.Plan plan = NamespaceCleanup.plan(store.index(), name);
    String why = "namespace " + name + " is terminating";
    for (String ds : plan.daemonSets()) {
      send("ds " + name + "/" + ds, store.daemonSet(name, ds, r -> new DaemonSetEntity.Delete("Background",
          cause(why + ": delete DaemonSet " + ds + " with its pods"), r)));
    }
    for (NamespaceCleanup.PlainRef ref : plan.objects()) {
      send(ref.resource() + " " + name + "/" + ref.name(), store.plainObject(ref.resource(), name, ref.name(),
          r -> new ObjectEntity.Delete(-1, cause(why + ": delete " + ref.resource() + " " + ref.name()), r)));
    }
    for (NamespaceCleanup.PodRef pod : plan.pods()) {
      send("pod " + pod.podKey(), store.pod(pod.nodeName(), r -> new NodeEntity.DeletePod(pod.podKey(), null,
          cause(why + ": delete pod " + pod.podKey()), r)));
    }
    if (plan.empty()) {
      JsonNode finalized = withoutFinalizer(Json.tree(ns));
      send("finalize " + name, store.plainObject(ObjectIndex.NAMESPACES, null, name, r -> new ObjectEntity.Update(
          finalized, -1, cause(why + ": it is empty, the namespace goes"), r)));
    }
  }

  private static JsonNode withoutFinalizer(JsonNode namespace) {
    ObjectNode copy = namespace.deepCopy();
    ArrayNode kept = Json.mapper().createArrayNode();
    copy.path("spec").path("finalizers").forEach(f -> {
      if (!Namespace.FINALIZER.equals(f.asText())) {
        kept.add(f);
      }
    });
    copy.with("spec").set("finalizers", kept);
    return copy;
  }

  private void send(String step, CompletionStage<?> request) {
    if (!inFlight.add(step)) {
      return;
    }
    request.whenComplete((outcome, failure) -> {
      inFlight.remove(step);
      if (failure != null) {
        LOG.debug("namespace step {} failed, retried next period: {}", step, failure.toString());
      }
    });
  }

  private Cause cause(String reason) {
    return new Cause(clock.instant(), ACTOR, reason);
  }
}
