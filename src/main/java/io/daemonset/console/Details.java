package io.daemonset.console;

import io.daemonset.audit.AuditEntry;
import io.daemonset.audit.AuditTrail;
import io.daemonset.daemonset.DaemonSetEntity;
import io.daemonset.model.ContainerStatus;
import io.daemonset.model.Node;
import io.daemonset.model.OwnerReference;
import io.daemonset.model.Pod;
import io.daemonset.model.Taint;
import io.daemonset.node.NodeEntity;
import io.daemonset.rollout.Revisions;
import io.daemonset.view.ObjectIndex;
import io.daemonset.view.StoredObject;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.persistence.jdbc.query.javadsl.JdbcReadJournal;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;

/** The Node and Pod pages: what the view holds of one object, and for a pod its story from the audit trail. */
final class Details {
  private Details() {}

  record Pair(String key, String value) {}

  record ConditionRow(String type, String status, String reason, String message, String since) {}

  record PodRow(String namespace, String name, String owner, String state, boolean ready, String revision) {}

  record NodeModel(String name, boolean unschedulable, List<Pair> labels, List<String> taints,
                   List<ConditionRow> conditions, List<PodRow> pods) {}

  record ContainerRow(String name, String image, boolean ready, int restarts, String state) {}

  record StoryLine(long ordering, String at, String entity, String event, String actor, String reason) {}

  record PodModel(String namespace, String name, String node, String owner, String ownerKey, String state,
                  String revision, String created, List<Pair> labels, List<ConditionRow> conditions,
                  List<ContainerRow> containers) {}

  static Optional<NodeModel> node(ObjectIndex index, String name) {
    return index.get(ObjectIndex.NODES, null, name).map(o -> (Node) o.object()).map(node -> {
      List<Pair> labels = pairs(node.metadata().labels());
      List<String> taints = node.spec() == null ? List.of()
          : node.spec().taintsOrEmpty().stream().map(Details::taint).toList();
      List<ConditionRow> conditions = node.status() == null || node.status().conditions() == null ? List.of()
          : node.status().conditions().stream().map(c -> new ConditionRow(c.type(), c.status(), c.reason(),
              c.message(), c.lastTransitionTime() == null ? "" : c.lastTransitionTime().toString())).toList();
      List<PodRow> pods = index.list(ObjectIndex.PODS).stream().map(o -> (Pod) o.object())
          .filter(p -> p.spec() != null && name.equals(p.spec().nodeName()))
          .sorted((a, b) -> NaturalOrder.INSTANCE.compare(a.metadata().name(), b.metadata().name()))
          .map(p -> new PodRow(p.metadata().namespace(), p.metadata().name(), owner(p).map(OwnerReference::name)
              .orElse(""), Overview.podState(p), FleetCells.ready(p), label(p, Revisions.HASH_LABEL)))
          .toList();
      boolean cordoned = node.spec() != null && Boolean.TRUE.equals(node.spec().unschedulable());
      return new NodeModel(name, cordoned, labels, taints, conditions, pods);
    });
  }

  static Optional<PodModel> pod(ObjectIndex index, String namespace, String name) {
    return index.get(ObjectIndex.PODS, namespace, name).map(StoredObject::object).map(Pod.class::cast).map(pod -> {
      Optional<OwnerReference> owner = owner(pod);
      List<ConditionRow> conditions = pod.status() == null || pod.status().conditions() == null ? List.of()
          : pod.status().conditions().stream().map(c -> new ConditionRow(c.type(), c.status(), c.reason(),
              c.message(), c.lastTransitionTime() == null ? "" : c.lastTransitionTime().toString())).toList();
      List<ContainerRow> containers = pod.status() == null || pod.status().containerStatuses() == null ? List.of()
          : pod.status().containerStatuses().stream().map(Details::container).toList();
      return new PodModel(namespace, name, pod.spec() == null ? "" : pod.spec().nodeName(),
          owner.map(OwnerReference::name).orElse(""), owner.map(o -> namespace + "/" + o.name()).orElse(""),
          Overview.podState(pod), label(pod, Revisions.HASH_LABEL),
          pod.metadata().creationTimestamp() == null ? "" : pod.metadata().creationTimestamp().toString(),
          pairs(pod.metadata().labels()), conditions, containers);
    });
  }

  /**
   * A pod's story: every event of its DaemonSet and of its node that names it (decided, admitted, started, ready,
   * replaced…), in journal order, each with who and why. Reads only those two entities' events, each by its
   * persistence id (the journal's primary key), not the whole journal: a pod page in a 5,000-node fleet would
   * otherwise read every node's heartbeats too.
   */
  static CompletionStage<List<StoryLine>> story(ActorSystem<?> system, JdbcReadJournal journal, PodModel pod) {
    String quoted = "\"" + pod.name() + "\"";
    List<String> entities = new java.util.ArrayList<>();
    if (!pod.ownerKey().isEmpty()) {
      entities.add(PersistenceId.of(DaemonSetEntity.ENTITY_TYPE_KEY.name(), pod.ownerKey()).id());
    }
    if (pod.node() != null && !pod.node().isEmpty()) {
      entities.add(PersistenceId.of(NodeEntity.ENTITY_TYPE_KEY.name(), pod.node()).id());
    }
    return Source.from(entities)
        .flatMapConcat(id -> AuditTrail.replayEachAnswerOf(journal, id))
        .filter(e -> e.detail().contains(quoted))
        .runWith(Sink.seq(), system)
        // the two entities' events interleave in the journal: back in journal order (the sort is stable, so the
        // answers unfolded from one row keep theirs)
        .thenApply(entries -> entries.stream().sorted(Comparator.comparingLong(AuditEntry::ordering))
            .map(Details::line).toList());
  }

  private static StoryLine line(AuditEntry e) {
    return new StoryLine(e.ordering(), e.at() == null ? "" : e.at().toString(), e.entity(), e.event(), e.actor(),
        e.reason());
  }

  private static ContainerRow container(ContainerStatus s) {
    String state = s.state() == null ? "" : s.state().waiting() != null ? "waiting: " + s.state().waiting().reason()
        : s.state().running() != null ? "running" : s.state().terminated() != null
        ? "terminated: " + s.state().terminated().reason() : "";
    return new ContainerRow(s.name(), s.image(), s.ready(), s.restartCount(), state);
  }

  private static Optional<OwnerReference> owner(Pod pod) {
    List<OwnerReference> owners = pod.metadata().ownerReferences();
    return owners == null ? Optional.empty()
        : owners.stream().filter(o -> "DaemonSet".equals(o.kind())).findFirst();
  }

  private static String label(Pod pod, String key) {
    String value = FleetCells.labelOf(pod, key);
    return value == null ? "" : value;
  }

  private static String taint(Taint t) {
    return t.key() + (t.value() == null || t.value().isEmpty() ? "" : "=" + t.value()) + ":" + t.effect();
  }

  private static List<Pair> pairs(Map<String, String> map) {
    return map == null ? List.of() : new java.util.TreeMap<>(map).entrySet().stream()
        .map(e -> new Pair(e.getKey(), e.getValue())).toList();
  }
}
