package io.daemonset.testing;

import com.fasterxml.jackson.databind.JsonNode;
import io.daemonset.model.Json;
import io.daemonset.view.ClusterView;
import io.daemonset.view.WatchEvent;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * "Nothing changed" without sleeping: a watch opened at a known resourceVersion (the one of the list the test just
 * checked), then a marker change, then every event the watch delivered before the marker's. The journal orders all
 * changes, so an event the test did not expect that happened before the marker is in that list, whenever it happened.
 *
 * <pre>{@code
 * JsonNode list = api.read(path);                        // the state the test asserts on
 * // … assertions on list …
 * List<JsonNode> events = Quiet.eventsBefore(api, path, Quiet.resourceVersion(list), Quiet.podMarker(api, ns, pod));
 * assertThat(events).noneMatch(Quiet::removesOrAdds);
 * }</pre>
 *
 * What it shows is that nothing happened in the journal between the list and the marker; pick a marker that is
 * written after whatever the test waits out (the marker's own write goes through the entity that would have
 * acted).
 */
public final class Quiet {
  private Quiet() {}

  /** A change the test makes, and how to know its event in the watch. */
  public record Marker(Runnable make, Predicate<JsonNode> isItsEvent) {}

  /** The resourceVersion of a list answer. */
  public static String resourceVersion(JsonNode list) {
    return list.path("metadata").path("resourceVersion").asText();
  }

  /**
   * The watch events of listPath (a list path, with or without a query) after resourceVersion, up to and without
   * the marker's event. Fails if the marker's event does not come within {@link Eventually#WAIT}.
   */
  public static List<JsonNode> eventsBefore(TestControlPlane api, String listPath, String resourceVersion,
      Marker marker) {
    String watch = listPath + (listPath.contains("?") ? "&" : "?") + "watch=true&resourceVersion=" + resourceVersion
        + "&timeoutSeconds=" + Eventually.WAIT.toSeconds();
    HttpRequest request = HttpRequest.newBuilder(URI.create(api.url() + watch))
        .header("Authorization", "Bearer " + api.adminToken()).GET().build();
    marker.make().run();
    List<JsonNode> before = new ArrayList<>();
    try (Stream<String> lines = api.http().send(request, HttpResponse.BodyHandlers.ofLines()).body()) {
      Iterator<String> events = lines.iterator();
      while (events.hasNext()) {
        JsonNode event = Json.read(events.next(), JsonNode.class);
        if (marker.isItsEvent().test(event)) {
          return before;
        }
        before.add(event);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
    throw new AssertionError("the watch " + watch + " ended without the marker; events: " + before);
  }

  /**
   * A marker on a pod: a condition {@code daemonset.io/TestMarker} with a fresh message, patched into its status as
   * admin. The pod's node entity writes it, after any change it was asked for before.
   */
  public static Marker podMarker(TestControlPlane api, String namespace, String pod) {
    String id = UUID.randomUUID().toString();
    String patch = "{\"status\":{\"conditions\":[{\"type\":\"daemonset.io/TestMarker\",\"status\":\"True\","
        + "\"reason\":\"Marker\",\"message\":\"" + id + "\"}]}}";
    return new Marker(
        () -> api.ok("PATCH", "/api/v1/namespaces/" + namespace + "/pods/" + pod + "/status",
            "application/strategic-merge-patch+json", patch),
        event -> event.path("object").path("metadata").path("name").asText().equals(pod)
            && event.path("object").path("status").path("conditions").findValuesAsText("message").contains(id));
  }

  /**
   * Makes a DaemonSet reconcile once more, and waits until it has: raises {@code spec.revisionHistoryLimit} by one (a
   * new generation, the same template, so no rollout) and waits for {@code status.observedGeneration} to reach it.
   * Returns the DaemonSet as it stands then. A reconcile's decisions and status are one write, so a decision to move
   * a pod would already show in the status it returns.
   */
  public static JsonNode reconciled(TestControlPlane api, String daemonSetPath) {
    int limit = api.read(daemonSetPath).path("spec").path("revisionHistoryLimit").asInt(10);
    long generation = api.ok("PATCH", daemonSetPath, "application/merge-patch+json",
        "{\"spec\":{\"revisionHistoryLimit\":" + (limit + 1) + "}}").json().path("metadata").path("generation")
        .asLong();
    return Eventually.await(daemonSetPath + " reconciled generation " + generation)
        .until(() -> api.read(daemonSetPath), ds -> ds.path("status").path("observedGeneration")
            .asLong() >= generation);
  }

  /**
   * The same inside the JVM, on a cluster view: its events after fromResourceVersion (all kinds), up to and without
   * the first the marker predicate accepts.
   */
  public static List<WatchEvent> eventsBefore(ClusterView view, long fromResourceVersion, Runnable makeMarker,
      Predicate<WatchEvent> isMarker) {
    Queue<WatchEvent> events = new ConcurrentLinkedQueue<>();
    ClusterView.Subscription subscription = view.subscribe(fromResourceVersion, events::add);
    try {
      if (subscription.gone()) {
        throw new AssertionError("resourceVersion " + fromResourceVersion + " is no longer in the view's window");
      }
      makeMarker.run();
      List<WatchEvent> before = new ArrayList<>();
      Eventually.await("the marker's event").pollInSameThread().until(() -> {
        for (WatchEvent event = events.poll(); event != null; event = events.poll()) {
          if (isMarker.test(event)) {
            return true;
          }
          before.add(event);
        }
        return false;
      });
      return before;
    } finally {
      subscription.cancel().run();
    }
  }

  /** An event that adds an object, removes one, or marks one for deletion. */
  public static boolean removesOrAdds(JsonNode event) {
    String type = event.path("type").asText();
    return type.equals("ADDED") || type.equals("DELETED")
        || !event.path("object").path("metadata").path("deletionTimestamp").isMissingNode();
  }
}
