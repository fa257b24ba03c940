package io.daemonset.console;

import com.fasterxml.jackson.databind.JsonNode;
import io.daemonset.model.ControllerRevision;
import io.daemonset.model.DaemonSet;
import io.daemonset.view.ObjectIndex;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.Optional;

/**
 * The rollout controls of the DaemonSets page as the API requests a kubectl user would send, so that the API
 * decides (and audits) them exactly as it decides kubectl's:
 * <ul>
 *   <li>pause / resume: a JSON merge patch of {@code spec.updateStrategy.rollingUpdate.paused};</li>
 *   <li>restart: {@code kubectl rollout restart}'s strategic merge patch of the template annotation
 *       {@code kubectl.kubernetes.io/restartedAt};</li>
 *   <li>undo: {@code kubectl rollout undo}'s strategic merge patch with the previous ControllerRevision's data.</li>
 * </ul>
 * Pure: it only builds the request; the console sends it as the signed-in identity.
 */
final class Actions {
  static final String MERGE = "application/merge-patch+json";
  static final String STRATEGIC = "application/strategic-merge-patch+json";
  static final String FIELD_MANAGER = "daemonset-console";

  /** One PATCH to send; absent when there is nothing to do (undo without a previous revision). */
  record Patch(String path, String contentType, String body) {}

  private Actions() {}

  static String path(String namespace, String name) {
    return "/apis/apps/v1/namespaces/" + namespace + "/daemonsets/" + name + "?fieldManager=" + FIELD_MANAGER;
  }

  static Optional<Patch> of(String action, DaemonSet ds, ObjectIndex index, Instant now) {
    String path = path(ds.metadata().namespace(), ds.metadata().name());
    return switch (action) {
      case "pause" -> Optional.of(new Patch(path, MERGE,
          "{\"spec\":{\"updateStrategy\":{\"rollingUpdate\":{\"paused\":true}}}}"));
      case "resume" -> Optional.of(new Patch(path, MERGE,
          "{\"spec\":{\"updateStrategy\":{\"rollingUpdate\":{\"paused\":false}}}}"));
      case "restart" -> Optional.of(new Patch(path, STRATEGIC,
          "{\"spec\":{\"template\":{\"metadata\":{\"annotations\":{\"kubectl.kubernetes.io/restartedAt\":\""
              + now.truncatedTo(ChronoUnit.SECONDS) + "\"}}}}}"));
      case "undo" -> previousRevision(ds, index).map(data -> new Patch(path, STRATEGIC, data.toString()));
      default -> Optional.empty();
    };
  }

  static boolean known(String action) {
    return switch (action) {
      case "pause", "resume", "restart", "undo" -> true;
      default -> false;
    };
  }

  /** kubectl's rollout undo to revision 0: the newest revision that is not the current template's. */
  static Optional<JsonNode> previousRevision(DaemonSet ds, ObjectIndex index) {
    String uid = ds.metadata().uid();
    String current = FleetCells.currentHash(ds, index);
    return index.list(ObjectIndex.REVISIONS).stream().map(o -> (ControllerRevision) o.object())
        .filter(r -> r.metadata().ownerReferences() != null && r.metadata().ownerReferences().stream()
            .anyMatch(o -> uid.equals(o.uid())))
        .filter(r -> !current.equals(io.daemonset.rollout.Revisions.hashOf(r)))
        .max(Comparator.comparingLong(ControllerRevision::revision))
        .map(ControllerRevision::data);
  }
}
