package io.daemonset.audit;

import com.fasterxml.jackson.databind.JsonNode;
import io.daemonset.cluster.NodeCredentialEntity;
import io.daemonset.daemonset.DaemonSetEntity;
import io.daemonset.journal.EncryptionKeys.Sealed;
import io.daemonset.model.Cause;
import io.daemonset.model.ControllerRevision;
import io.daemonset.model.DaemonSet;
import io.daemonset.model.DaemonSetStatus;
import io.daemonset.model.Json;
import io.daemonset.model.LabelSelector;
import io.daemonset.model.Node;
import io.daemonset.model.NodeStatus;
import io.daemonset.model.OwnerReference;
import io.daemonset.model.Pod;
import io.daemonset.model.PodStatus;
import io.daemonset.node.NodeEntity;
import io.daemonset.objects.ObjectEntity;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One value of every persisted event type, as this release writes it: the expected side of the event fixtures
 * ({@code golden/events/<class>.json}, written once from these by {@code EventFixturesWriter}). A value here is
 * never changed once its fixture is checked in; a new event type adds one (EventFixturesTest requires it).
 * The objects inside (a Node, a Pod, a DaemonSet...) are the shapes the audit scenario writes, read from JSON.
 */
final class EventSamples {
  static final Instant AT = Instant.parse("2026-12-03T05:00:00.123456789Z");
  static final Cause CAUSE = new Cause(AT, "alice", "a sample cause");
  static final Cause CONTROLLER = new Cause(AT, "daemonset-controller", "a sample decision");
  static final OwnerReference OWNER =
      OwnerReference.controlledBy("apps/v1", "DaemonSet", "logs", "bd8b2cd3-1ed5-4943-9752-1c2587be46ad");
  static final Sealed SEALED = new Sealed("k1", "c2VhbGVkIGJ5IGsx");

  static final String NODE = """
      {"apiVersion":"v1","kind":"Node","metadata":{"name":"n1","uid":"acd63206-d063-4bc2-852f-93c972036508",
       "creationTimestamp":"2026-12-03T04:15:38.396221440Z","labels":{"disk":"ssd"}},"spec":{},
       "status":{"capacity":{"memory":"8Gi","pods":"110","cpu":"4"},"conditions":[{"type":"Ready","status":"True",
       "lastHeartbeatTime":"2026-12-03T04:15:33.362621745Z","lastTransitionTime":"2026-12-03T04:15:33.362621745Z",
       "reason":"AgentReady","message":"simulated agent"}]}}""";
  static final String POD_STATUS = """
      {"phase":"Running","conditions":[{"type":"Ready","status":"True",
       "lastTransitionTime":"2026-12-03T04:15:40.524845874Z"}],"hostIP":"10.0.0.1","podIP":"10.0.0.1",
       "startTime":"2026-12-03T04:15:40.524845874Z"}""";
  static final String POD = """
      {"apiVersion":"v1","kind":"Pod","metadata":{"name":"logs-mt6fc","generateName":"logs-","namespace":"default",
       "uid":"d3fb42f4-4e7f-37fc-9abf-36a523682e90","creationTimestamp":"2026-12-03T04:15:39.345499404Z",
       "labels":{"pod-template-generation":"1","controller-revision-hash":"7479c4c67","app":"logs"},
       "ownerReferences":[{"apiVersion":"apps/v1","kind":"DaemonSet","name":"logs",
       "uid":"bd8b2cd3-1ed5-4943-9752-1c2587be46ad","controller":true,"blockOwnerDeletion":true}]},
       "spec":{"containers":[{"name":"logs","image":"fluentd:1"}],"nodeSelector":{"disk":"ssd"},
       "affinity":{"nodeAffinity":{"requiredDuringSchedulingIgnoredDuringExecution":{"nodeSelectorTerms":[
       {"matchFields":[{"key":"metadata.name","operator":"In","values":["n3"]}]}]}}},
       "tolerations":[{"key":"node.kubernetes.io/not-ready","operator":"Exists","effect":"NoExecute"}],
       "nodeName":"n3","terminationGracePeriodSeconds":30,"restartPolicy":"Always"},"status":{"phase":"Pending"}}""";
  static final String DAEMON_SET_STATUS = """
      {"currentNumberScheduled":3,"numberMisscheduled":0,"desiredNumberScheduled":3,"numberReady":0,
       "updatedNumberScheduled":3,"numberAvailable":0,"numberUnavailable":3}""";
  static final String DAEMON_SET = """
      {"apiVersion":"apps/v1","kind":"DaemonSet","metadata":{"name":"logs","namespace":"default",
       "uid":"bd8b2cd3-1ed5-4943-9752-1c2587be46ad","generation":1,"creationTimestamp":"2026-12-03T04:15:39.089992051Z",
       "labels":{"app":"logs"},"annotations":{"deprecated.daemonset.template.generation":"1"}},
       "spec":{"selector":{"matchLabels":{"app":"logs"}},"template":{"metadata":{"labels":{"app":"logs"}},
       "spec":{"containers":[{"name":"logs","image":"fluentd:1"}],"nodeSelector":{"disk":"ssd"},
       "terminationGracePeriodSeconds":30,"restartPolicy":"Always"}},"updateStrategy":{"type":"RollingUpdate",
       "rollingUpdate":{"maxUnavailable":1,"maxSurge":0}},"minReadySeconds":0,"revisionHistoryLimit":10},
       "status":""" + DAEMON_SET_STATUS + "}";
  static final String REVISION = """
      {"apiVersion":"apps/v1","kind":"ControllerRevision","metadata":{"name":"logs-7479c4c67","namespace":"default",
       "labels":{"app":"logs","controller-revision-hash":"7479c4c67"},
       "annotations":{"deprecated.daemonset.template.generation":"1"},"ownerReferences":[{"apiVersion":"apps/v1",
       "kind":"DaemonSet","name":"logs","uid":"bd8b2cd3-1ed5-4943-9752-1c2587be46ad","controller":true,
       "blockOwnerDeletion":true}]},"data":{"spec":{"template":{"$patch":"replace","metadata":{"labels":{"app":"logs"}},
       "spec":{"containers":[{"image":"fluentd:1","name":"logs"}],"nodeSelector":{"disk":"ssd"},
       "restartPolicy":"Always","terminationGracePeriodSeconds":30}}}},"revision":1}""";
  /** A Secret as ObjectEntity writes it: its data sealed apart ({@link #SEALED}), the rest in clear. */
  static final String SECRET = """
      {"apiVersion":"v1","kind":"Secret","metadata":{"name":"s","namespace":"default",
       "uid":"b2da11fe-28da-4f2a-8299-63eddcc13509","creationTimestamp":"2026-12-03T04:15:37Z"},"type":"Opaque"}""";

  private EventSamples() {}

  static Node node() {
    return Json.read(NODE, Node.class);
  }

  static NodeStatus nodeStatus() {
    return node().status();
  }

  static Pod pod() {
    return Json.read(POD, Pod.class);
  }

  static PodStatus podStatus() {
    return Json.read(POD_STATUS, PodStatus.class);
  }

  static DaemonSet daemonSet() {
    return Json.read(DAEMON_SET, DaemonSet.class);
  }

  static DaemonSetStatus daemonSetStatus() {
    return Json.read(DAEMON_SET_STATUS, DaemonSetStatus.class);
  }

  static ControllerRevision revision() {
    return Json.read(REVISION, ControllerRevision.class);
  }

  static LabelSelector selector() {
    return new LabelSelector(Map.of("app", "logs"), null);
  }

  /** Every event type's sample, by class; insertion order is the fixtures' listing order. */
  static Map<Class<?>, Object> events() {
    Map<Class<?>, Object> out = new LinkedHashMap<>();
    for (Object event : List.of(
        // ObjectEntity
        new ObjectEntity.ObjectWritten("secrets", Json.read(SECRET, JsonNode.class), SEALED, CAUSE),
        new ObjectEntity.ObjectDeleted("configmaps", CAUSE),
        // NodeEntity
        new NodeEntity.NodeRegistered(node(), CAUSE),
        new NodeEntity.NodeUpdated(node(), CAUSE),
        new NodeEntity.NodeRemoved(CAUSE),
        new NodeEntity.PodAdmitted(pod(), CONTROLLER),
        new NodeEntity.PodStatusUpdated("default/logs-mt6fc", podStatus(), CAUSE),
        new NodeEntity.PodDeletionStarted("default/logs-mt6fc", AT.plusSeconds(30), 30, CONTROLLER),
        new NodeEntity.PodOrphaned("default/logs-mt6fc", CONTROLLER),
        new NodeEntity.PodMetadataUpdated("default/logs-mt6fc", Map.of("app", "logs", "tier", "edge"),
            Map.of("note", "relabelled"), CAUSE),
        new NodeEntity.PodBoundToNode("default/logs-mt6fc", CAUSE),
        new NodeEntity.PodAdopted("default/logs-mt6fc", OWNER, CONTROLLER),
        new NodeEntity.PodReleased("default/logs-mt6fc", CAUSE),
        // DaemonSetEntity
        new DaemonSetEntity.DaemonSetCreated(daemonSet(), CAUSE),
        new DaemonSetEntity.DaemonSetUpdated(daemonSet(), CAUSE),
        new DaemonSetEntity.StatusChanged(daemonSetStatus(), CONTROLLER),
        new DaemonSetEntity.DeletionStarted("Foreground", AT, CAUSE),
        new DaemonSetEntity.FinalizerRemoved("foregroundDeletion", CONTROLLER),
        new DaemonSetEntity.DaemonSetDeleted("Background", CONTROLLER),
        new DaemonSetEntity.RevisionRecorded(revision(), CONTROLLER),
        new DaemonSetEntity.RevisionsTrimmed(List.of("logs-1", "logs-2"), CONTROLLER),
        new DaemonSetEntity.RevisionsHandedOver(List.of("logs-7479c4c67"), OWNER, CONTROLLER),
        new DaemonSetEntity.RevisionsAdopted("default/old-logs", List.of(revision()), CONTROLLER),
        new DaemonSetEntity.RevisionsForgotten(List.of("logs-7479c4c67"), CONTROLLER),
        new DaemonSetEntity.RevisionsDeduplicated("7479c4c67", List.of("logs-5d8f9"), List.of("logs-mt6fc"),
            CONTROLLER),
        new DaemonSetEntity.PodsScheduled(List.of(new DaemonSetEntity.ScheduledPod("logs-mt6fc",
            "d3fb42f4-4e7f-37fc-9abf-36a523682e90", "n3", "7479c4c67", "NODE_NEEDS_POD")), CONTROLLER),
        new DaemonSetEntity.PodRelabelled("logs-mt6fc", CONTROLLER),
        new DaemonSetEntity.PodBound("logs-mt6fc", CONTROLLER),
        new DaemonSetEntity.PodRejected("logs-mt6fc", "n3", "Insufficient cpu", CONTROLLER),
        new DaemonSetEntity.PodsAnswered(List.of(
            new DaemonSetEntity.PodAnswer("logs-mt6fc", true, null, null, false, null, CONTROLLER),
            new DaemonSetEntity.PodAnswer("logs-m4s4q", false, "Running", AT, false, null, CONTROLLER),
            new DaemonSetEntity.PodAnswer("logs-nbjq6", false, "Running", null, false, "CrashLoopBackOff",
                CONTROLLER)), CONTROLLER),
        new DaemonSetEntity.PodObserved("logs-mt6fc", "Running", AT, true, CONTROLLER, "CrashLoopBackOff"),
        new DaemonSetEntity.RolloutFailed("logs-7479c4c67", "ProgressDeadlineExceeded", "no progress in 600s",
            List.of("n3/logs-mt6fc"), "Rollback", CONTROLLER),
        new DaemonSetEntity.RevisionAvailable("logs-7479c4c67", CONTROLLER),
        new DaemonSetEntity.CanaryPassed("logs-7479c4c67", CAUSE),
        new DaemonSetEntity.PodsDeletionRequested(List.of(new DaemonSetEntity.PodDeletion("logs-mt6fc", "n3",
            "NODE_NO_LONGER_ELIGIBLE")), CONTROLLER),
        new DaemonSetEntity.PodGone("logs-mt6fc", CONTROLLER),
        new DaemonSetEntity.PodReleaseRequested("logs-mt6fc", "n3", "labels stopped matching", CONTROLLER),
        new DaemonSetEntity.PodAdopted("logs-abcde", "old-pod", "085a3f72-3667-313d-a03f-eac47e8fb1d0", "n1",
            "7479c4c67", AT, CONTROLLER),
        // NodeCredentialEntity
        new NodeCredentialEntity.CredentialIssued("6a4c0f0e-8d5e-4f0b-9d3c-1f2e3d4c5b6a", SEALED, AT),
        new NodeCredentialEntity.CredentialRevoked(AT))) {
      if (out.put(event.getClass(), event) != null) {
        throw new IllegalStateException("two samples of " + event.getClass());
      }
    }
    return out;
  }
}
