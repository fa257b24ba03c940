package io.daemonset.console;

import com.fasterxml.jackson.databind.JsonNode;
import io.daemonset.model.Condition;
import io.daemonset.model.ControllerRevision;
import io.daemonset.model.Container;
import io.daemonset.model.DaemonSet;
import io.daemonset.model.DaemonSetStatus;
import io.daemonset.model.DaemonSetUpdateStrategy;
import io.daemonset.rollout.Revisions;
import io.daemonset.view.ObjectIndex;
import io.daemonset.view.StoredObject;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * One DaemonSet as the DaemonSets page shows it and as its live updates carry it (the same record, as JSON): status
 * counters, conditions, the rollout's progress (updated of desired, remaining) and availability, whether the rollout
 * is paused, and the revision history, newest first.
 */
record DaemonSetSummary(String key, String namespace, String name, String domId, long generation,
                        long observedGeneration, String strategy, boolean paused, String images, int desired,
                        int current, int updated, int ready, int available, int unavailable, int misscheduled,
                        int remaining, boolean complete, List<ConditionView> conditions, List<RevisionView> revisions) {

  record ConditionView(String type, String status, String reason, String message) {}

  record RevisionView(long revision, String name, String hash, String images, String created, String cause,
                      boolean current) {}

  static DaemonSetSummary of(DaemonSet ds, ObjectIndex index) {
    DaemonSetStatus s = ds.status() == null ? DaemonSetStatus.EMPTY : ds.status();
    String namespace = ds.metadata().namespace();
    String name = ds.metadata().name();
    long generation = ds.metadata().generation() == null ? 0 : ds.metadata().generation();
    long observed = s.observedGeneration() == null ? 0 : s.observedGeneration();
    DaemonSetUpdateStrategy strategy = ds.spec().updateStrategy();
    boolean paused = strategy != null && strategy.rollingUpdate() != null
        && Boolean.TRUE.equals(strategy.rollingUpdate().paused());
    int desired = s.desiredNumberScheduled();
    boolean complete = observed >= generation && s.updatedNumberScheduled() == desired
        && s.numberAvailable() == desired;
    List<ConditionView> conditions = s.conditions() == null ? List.of() : s.conditions().stream()
        .map(DaemonSetSummary::condition).toList();
    return new DaemonSetSummary(namespace + "/" + name, namespace, name, domId(namespace, name), generation, observed,
        strategy == null ? DaemonSetUpdateStrategy.ROLLING_UPDATE : strategy.type(), paused,
        images(ds.spec().template().spec().containers()), desired, s.currentNumberScheduled(),
        s.updatedNumberScheduled(), s.numberReady(), s.numberAvailable(), s.numberUnavailable(),
        s.numberMisscheduled(), Math.max(0, desired - s.updatedNumberScheduled()), complete, conditions,
        revisions(ds, index));
  }

  /** An id safe in HTML and CSS selectors: names are DNS labels, so only '/' needs replacing. */
  static String domId(String namespace, String name) {
    return "ds-" + namespace + "--" + name;
  }

  private static ConditionView condition(Condition c) {
    return new ConditionView(c.type(), c.status(), c.reason(), c.message());
  }

  private static List<RevisionView> revisions(DaemonSet ds, ObjectIndex index) {
    String uid = ds.metadata().uid();
    String currentHash = FleetCells.currentHash(ds, index);
    return index.list(ObjectIndex.REVISIONS).stream().map(o -> (ControllerRevision) o.object())
        .filter(r -> ownedBy(r, uid))
        .sorted(Comparator.comparingLong(ControllerRevision::revision).reversed())
        .map(r -> {
          String hash = Revisions.hashOf(r);
          Map<String, String> annotations = r.metadata().annotations() == null ? Map.of() : r.metadata().annotations();
          return new RevisionView(r.revision(), r.metadata().name(), hash, revisionImages(r.data()),
              r.metadata().creationTimestamp() == null ? "" : r.metadata().creationTimestamp().toString(),
              annotations.getOrDefault("kubernetes.io/change-cause", ""), currentHash.equals(hash));
        }).toList();
  }

  private static boolean ownedBy(ControllerRevision r, String uid) {
    return r.metadata().ownerReferences() != null
        && r.metadata().ownerReferences().stream().anyMatch(o -> uid != null && uid.equals(o.uid()));
  }

  private static String images(List<Container> containers) {
    return containers == null ? "" : String.join(", ", containers.stream().map(Container::image).toList());
  }

  private static String revisionImages(JsonNode data) {
    JsonNode containers = data == null ? null : data.path("spec").path("template").path("spec").path("containers");
    if (containers == null || !containers.isArray()) {
      return "";
    }
    List<String> images = new java.util.ArrayList<>();
    containers.forEach(c -> images.add(c.path("image").asText()));
    return String.join(", ", images);
  }

  static List<DaemonSetSummary> all(ObjectIndex index) {
    return index.list(ObjectIndex.DAEMONSETS).stream().map(StoredObject::object).map(DaemonSet.class::cast)
        .sorted(Comparator.comparing((DaemonSet d) -> d.metadata().namespace())
            .thenComparing(d -> d.metadata().name()))
        .map(d -> of(d, index)).toList();
  }
}
