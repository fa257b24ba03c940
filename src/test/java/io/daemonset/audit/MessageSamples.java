package io.daemonset.audit;

import static io.daemonset.audit.EventSamples.CAUSE;
import static io.daemonset.audit.EventSamples.OWNER;

import com.fasterxml.jackson.databind.JsonNode;
import io.daemonset.cluster.NodeCredentialEntity;
import io.daemonset.daemonset.DaemonSetEntity;
import io.daemonset.model.Json;
import io.daemonset.model.Lease;
import io.daemonset.model.Outcome;
import io.daemonset.model.RawObject;
import io.daemonset.node.NodeEntity;
import io.daemonset.node.NodeState;
import io.daemonset.objects.ObjectEntity;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * Messages between members, one value of each: the commands a member sends to a sharded entity on another one
 * (DaemonSetEntity, NodeEntity, ObjectEntity, NodeCredentialEntity) and their replies. The expected side of
 * {@code golden/messages/<name>.json} (written once by {@code EventFixturesWriter}); during a rolling upgrade
 * each is read by a member of the previous and of the next release. Named by class, and the Outcomes by class
 * and value kind (one class, several payloads).
 */
final class MessageSamples {
  private MessageSamples() {}

  static Map<String, Object> messages(ActorRef<Object> replyTo) {
    Map<String, Object> out = new LinkedHashMap<>();
    Instant at = EventSamples.AT;
    JsonNode configMap = Json.read("""
        {"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c","namespace":"default"},"data":{"k":"v"}}""",
        JsonNode.class);
    for (Object message : List.of(
        // DaemonSetEntity
        new DaemonSetEntity.Create(EventSamples.daemonSet(), CAUSE, ref(replyTo)),
        new DaemonSetEntity.Update(EventSamples.daemonSet(), 3, CAUSE, ref(replyTo)),
        new DaemonSetEntity.UpdateStatus(EventSamples.daemonSetStatus(), "bd8b2cd3-1ed5-4943-9752-1c2587be46ad",
            CAUSE, ref(replyTo)),
        new DaemonSetEntity.Delete("Foreground", CAUSE, ref(replyTo)),
        new DaemonSetEntity.Get(ref(replyTo)),
        new DaemonSetEntity.PodChanged("n3", "logs-mt6fc", EventSamples.pod(), CAUSE),
        new DaemonSetEntity.HandOverRevisions(List.of("logs-7479c4c67"), OWNER, EventSamples.selector(),
            ref(replyTo)),
        new DaemonSetEntity.RevisionsOffered("default/old-logs", List.of(EventSamples.revision())),
        new DaemonSetEntity.ForgetRevisions(List.of("logs-7479c4c67"), "bd8b2cd3-1ed5-4943-9752-1c2587be46ad"),
        // NodeEntity
        new NodeEntity.Register(EventSamples.node(), CAUSE, ref(replyTo)),
        new NodeEntity.Update(EventSamples.node(), 7, CAUSE, ref(replyTo)),
        new NodeEntity.UpdateStatus(EventSamples.nodeStatus(), CAUSE, ref(replyTo)),
        new NodeEntity.Remove(CAUSE, ref(replyTo)),
        new NodeEntity.Get(ref(replyTo)),
        new NodeEntity.RenewLease(Lease.forNode("n1", at), CAUSE, ref(replyTo)),
        new NodeEntity.GetLease(ref(replyTo)),
        new NodeEntity.AdmitPod(EventSamples.pod(), CAUSE, ref(replyTo), EventSamples.selector()),
        new NodeEntity.ClaimOrphans("default", EventSamples.selector(), OWNER, CAUSE),
        new NodeEntity.DeletePod("default/logs-mt6fc", 30L, CAUSE, ref(replyTo)),
        new NodeEntity.UpdatePodStatus("default/logs-mt6fc", EventSamples.podStatus(), CAUSE, ref(replyTo)),
        new NodeEntity.UpdatePodMetadata("default/logs-mt6fc", "d3fb42f4-4e7f-37fc-9abf-36a523682e90",
            Map.of("app", "logs"), Map.of("note", "n"), CAUSE, ref(replyTo)),
        new NodeEntity.SetPodLabel("default/logs-mt6fc", "d3fb42f4-4e7f-37fc-9abf-36a523682e90",
            "controller-revision-hash", "7479c4c67", CAUSE, ref(replyTo)),
        new NodeEntity.OrphanPod("default/logs-mt6fc", CAUSE, ref(replyTo)),
        new NodeEntity.AdmitResult("default/logs-mt6fc", false, "Insufficient cpu", true, EventSamples.pod()),
        new NodeState(EventSamples.node(), 12, Map.of("default/logs-mt6fc", EventSamples.pod()), false),
        // ObjectEntity
        new ObjectEntity.Create("configmaps", configMap, CAUSE, ref(replyTo)),
        new ObjectEntity.Update(configMap, 2, CAUSE, ref(replyTo)),
        new ObjectEntity.Delete(-1, CAUSE, ref(replyTo)),
        new ObjectEntity.Get(ref(replyTo)),
        // NodeCredentialEntity
        new NodeCredentialEntity.Obtain(ref(replyTo)),
        new NodeCredentialEntity.Revoke(at, ref(replyTo)),
        new NodeCredentialEntity.Credential("n1", "6a4c0f0e-8d5e-4f0b-9d3c-1f2e3d4c5b6a", "a-token", true),
        new NodeCredentialEntity.Revoked(true))) {
      put(out, message.getClass().getName(), message);
    }
    // the entities' answers to writes: one class, a value of each kind (named as Outcome names them)
    put(out, Outcome.class.getName() + "-DaemonSet", Outcome.ok(EventSamples.daemonSet(), 4));
    put(out, Outcome.class.getName() + "-Node", Outcome.ok(EventSamples.node(), 5));
    put(out, Outcome.class.getName() + "-Pod", Outcome.ok(EventSamples.pod(), 6));
    put(out, Outcome.class.getName() + "-Lease", Outcome.ok(Lease.forNode("n1", at), 7));
    put(out, Outcome.class.getName() + "-Raw", Outcome.ok(new RawObject(configMap), 8));
    put(out, Outcome.class.getName() + "-refused", Outcome.refused(Outcome.Refusal.CONFLICT,
        Outcome.CONFLICT_MESSAGE));
    return out;
  }

  private static void put(Map<String, Object> out, String name, Object message) {
    if (out.put(name, message) != null) {
      throw new IllegalStateException("two samples named " + name);
    }
  }

  @SuppressWarnings("unchecked")
  private static <T> ActorRef<T> ref(ActorRef<Object> replyTo) {
    return (ActorRef<T>) (ActorRef<?>) replyTo;
  }
}
