package io.daemonset.api;

import static org.apache.pekko.http.javadsl.server.Directives.completeWithFuture;
import static org.apache.pekko.http.javadsl.server.Directives.extractActorSystem;

import io.daemonset.model.Container;
import io.daemonset.model.ContainerStatus;
import io.daemonset.model.Node;
import io.daemonset.model.Pod;
import io.daemonset.view.ObjectIndex;
import io.daemonset.view.ObjectStore;
import io.daemonset.view.StoredObject;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.stream.javadsl.StreamConverters;
import org.apache.pekko.util.ByteString;

/**
 * {@code GET pods/NAME/log} ({@code kubectl logs}), as kube-apiserver serves it by asking the kubelet: the node agent
 * of the pod's node keeps the logs and serves them at {@code <endpoint>/containerLogs/<ns>/<pod>/<container>}, its
 * endpoint being the Node's {@value #ENDPOINT_ANNOTATION} annotation. The answer streams through as text/plain.
 * <ul>
 *   <li>query: {@code container} (needed when the pod has several), {@code tailLines}, {@code limitBytes};
 *       {@code follow} streams new lines as the container writes them ({@link LogFollower}) until the client goes
 *       away, the pod is deleted or limitBytes is reached; {@code previous} serves the log of the container's
 *       last run (the agent moves a log aside when it restarts the container); {@code timestamps},
 *       {@code sinceSeconds} and {@code sinceTime} are applied by the agent, which keeps each line's time (the
 *       follower's later polls pass timestamps and sinceTime: their lines are all newer than sinceSeconds);</li>
 *   <li>a pod on a hollow node has no logs (400, saying so), as has a container still waiting to start (400, as
 *       upstream); an agent without a log endpoint or out of reach answers 503.</li>
 * </ul>
 */
final class PodLogs {
  static final String ENDPOINT_ANNOTATION = "daemonset.io/agent-endpoint";
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  private final ObjectStore store;

  PodLogs(ObjectStore store) {
    this.store = store;
  }

  Route route(Call call, Pod pod) {
    return extractActorSystem(system -> completeWithFuture(logs(call, pod, system)));
  }

  private CompletionStage<HttpResponse> logs(Call call, Pod pod, ActorSystem system) {
    String name = pod.metadata().name();
    String container = container(call, pod);
    boolean previous = flag(call, "previous");
    checkSince(call, name);
    String nodeName = pod.spec() == null || pod.spec().nodeName() == null ? "" : pod.spec().nodeName();

    if (nodeName.isEmpty()) {
      throw ApiException.badRequest("pod " + q(name) + " is not bound to a node yet: it has no logs");
    }
    Node node = store.index().get(ObjectIndex.NODES, null, nodeName).map(StoredObject::object)
        .filter(Node.class::isInstance).map(Node.class::cast)
        .orElseThrow(() -> ApiException.badRequest("pod " + q(name) + " is bound to node " + q(nodeName)
            + ", which is gone: its logs went with it"));
    if (hollow(node)) {
      throw ApiException.badRequest("pod " + q(name) + " runs on hollow node " + q(nodeName)
          + ": the hollow runtime only pretends to run containers, so container " + q(container) + " has no logs");
    }
    if (!previous) {
      waiting(pod, container).ifPresent(reason -> {
        throw ApiException.badRequest("container " + q(container) + " in pod " + q(name) + " is waiting to start: "
            + reason);
      });
    }
    String endpoint = node.metadata().annotationsOrEmpty().get(ENDPOINT_ANNOTATION);
    if (endpoint == null || !(endpoint.startsWith("http://") || endpoint.startsWith("https://"))) {
      throw ApiException.serviceUnavailable("the agent of node " + q(nodeName) + " serves no container logs (it "
          + "announces no " + ENDPOINT_ANNOTATION + " endpoint; was it started with --log-port -1?)", 0);
    }
    if (!endpoint.startsWith("https://")) {
      // logs travel only over TLS to an agent whose certificate the cluster CA issued
      throw ApiException.serviceUnavailable("the agent of node " + q(nodeName) + " serves its logs without TLS ("
          + endpoint + "): an agent of this version serves them over TLS with a certificate from the cluster CA", 0);
    }
    StringBuilder query = new StringBuilder();
    number(call, "tailLines", 0).ifPresent(n -> query.append("tailLines=").append(n));
    Optional<Long> limitBytes = number(call, "limitBytes", 1);
    limitBytes.ifPresent(n -> query.append(query.length() == 0 ? "" : "&").append("limitBytes=").append(n));
    boolean follow = flag(call, "follow") && !previous; // a terminated run's log does not grow
    if (previous) {
      query.append(query.length() == 0 ? "" : "&").append("previous=true");
    }
    // the agent keeps each line's time: it filters and prefixes (sinceSeconds counted on its clock, as kubelet's)
    StringBuilder times = new StringBuilder();
    if (flag(call, "timestamps")) {
      times.append("&timestamps=true");
    }
    call.query("sinceTime").filter(v -> !v.isEmpty()).ifPresent(t -> times.append("&sinceTime=")
        .append(URLEncoder.encode(t, StandardCharsets.UTF_8)));
    String follows = times.toString();
    call.query("sinceSeconds").filter(v -> !v.isEmpty()).ifPresent(t -> times.append("&sinceSeconds=").append(t));
    query.append(times.length() == 0 ? "" : (query.length() == 0 ? times.substring(1) : times));
    URI base;
    URI uri;
    try {
      base = URI.create(endpoint.replaceAll("/+$", "") + "/containerLogs/" + seg(pod.metadata().namespace()) + "/"
          + seg(name) + "/" + seg(container));
      uri = URI.create(base + (query.length() == 0 ? "" : "?" + query));
    } catch (IllegalArgumentException e) {
      throw ApiException.serviceUnavailable("the agent of node " + q(nodeName) + " announces an invalid endpoint "
          + q(endpoint), 0);
    }
    List<String> warnings = new ArrayList<>();
    AgentConnections http = AgentConnections.of(call.http());
    HttpRequest request = HttpRequest.newBuilder(uri).timeout(TIMEOUT).GET().build();
    return http.send(request, java.net.http.HttpResponse.BodyHandlers.ofInputStream())
        .handle((response, error) -> {
          if (error != null) {
            Throwable cause = error.getCause() != null ? error.getCause() : error;
            throw ApiException.serviceUnavailable("cannot reach the agent of node " + q(nodeName) + " at " + endpoint
                + ": " + (cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage()), 0);
          }
          if (response.statusCode() == 200) {
            InputStream body = response.body();
            Source<ByteString, ?> bytes = StreamConverters.fromInputStream(() -> body);
            Optional<Long> end = response.headers().firstValue(LogFollower.END_HEADER).map(Long::parseLong);
            if (follow && end.isPresent()) {
              bytes = LogFollower.limited(bytes.concat(new LogFollower(store, system, http)
                  .after(base, follows, end.get(), pod)), limitBytes);
            } else if (follow) {
              warnings.add("the agent of node " + nodeName + " cannot follow logs: these are the logs so far");
            }
            return Render.withWarnings(HttpResponse.create().withEntity(HttpEntities.createChunked(
                ContentTypes.TEXT_PLAIN_UTF8, bytes)), warnings);
          }
          String message = text(response.body());
          if (previous && response.statusCode() == 404) {
            // upstream's words when the container never terminated
            throw ApiException.badRequest("previous terminated container " + q(container) + " in pod " + q(name)
                + " not found");
          }
          if (response.statusCode() / 100 == 4) {
            throw ApiException.badRequest(message.isEmpty() ? "the agent of node " + q(nodeName) + " has no logs of "
                + "container " + q(container) + " in pod " + q(name) : message);
          }
          throw ApiException.serviceUnavailable("the agent of node " + q(nodeName) + " answered "
              + response.statusCode() + (message.isEmpty() ? "" : ": " + message), 0);
        });
  }

  /** The container asked for, or the pod's only one (kubectl names the default one); 400 as upstream otherwise. */
  static String container(Call call, Pod pod) {
    List<String> names = pod.spec() == null || pod.spec().containers() == null ? List.of()
        : pod.spec().containers().stream().map(Container::name).toList();
    List<String> inits = pod.spec() == null || pod.spec().initContainers() == null ? List.of()
        : pod.spec().initContainers().stream().map(Container::name).toList();
    Optional<String> asked = call.query("container").filter(c -> !c.isEmpty());
    if (asked.isPresent()) {
      if (!names.contains(asked.get()) && !inits.contains(asked.get())) {
        throw ApiException.badRequest("container " + asked.get() + " is not valid for pod "
            + pod.metadata().name());
      }
      return asked.get();
    }
    if (names.size() != 1) {
      throw ApiException.badRequest("a container name must be specified for pod " + pod.metadata().name()
          + ", choose one of: [" + String.join(" ", names) + "]");
    }
    return names.get(0);
  }

  /** A node run by the hollow runtime, which only pretends to run containers. */
  static boolean hollow(Node node) {
    return node.status() != null && node.status().nodeInfo() != null
        && String.valueOf(node.status().nodeInfo().containerRuntimeVersion()).startsWith("hollow://");
  }

  /** The reason a container has not started yet, when the pod's status says it is waiting and never ran. */
  private static Optional<String> waiting(Pod pod, String container) {
    if (pod.status() == null || pod.status().containerStatuses() == null) {
      return Optional.of("ContainerCreating");
    }
    java.util.stream.Stream<ContainerStatus> all = pod.status().initContainerStatuses() == null
        ? pod.status().containerStatuses().stream()
        : java.util.stream.Stream.concat(pod.status().initContainerStatuses().stream(),
            pod.status().containerStatuses().stream());
    return all.filter(s -> container.equals(s.name())).findFirst()
        .filter(s -> s.state() != null && s.state().waiting() != null && s.restartCount() == 0
            && (s.lastState() == null || s.lastState().terminated() == null))
        .map(ContainerStatus::state)
        .map(state -> state.waiting().reason() == null ? "ContainerCreating" : state.waiting().reason());
  }

  /**
   * sinceSeconds and sinceTime, checked as upstream checks PodLogOptions (a malformed time is 400 at decoding, the
   * rules 422); whether either was given.
   */
  private static boolean checkSince(Call call, String pod) {
    Optional<String> sinceTime = call.query("sinceTime").filter(v -> !v.isEmpty());
    if (sinceTime.isPresent()) {
      try {
        java.time.OffsetDateTime.parse(sinceTime.get());
      } catch (java.time.format.DateTimeParseException e) {
        throw ApiException.badRequest("parsing time " + q(sinceTime.get()) + " as \"2006-01-02T15:04:05Z07:00\": "
            + "cannot parse " + q(sinceTime.get()) + " as a time");
      }
    }
    Optional<Long> sinceSeconds;
    try {
      sinceSeconds = call.query("sinceSeconds").filter(v -> !v.isEmpty()).map(Long::parseLong);
    } catch (NumberFormatException e) {
      throw ApiException.badRequest("sinceSeconds: not a number: " + q(call.queryOr("sinceSeconds", "")));
    }
    List<io.daemonset.model.Status.StatusCause> causes = new ArrayList<>();
    if (sinceSeconds.isPresent() && sinceSeconds.get() < 1) {
      causes.add(new io.daemonset.model.Status.StatusCause("FieldValueInvalid", "Invalid value: "
          + sinceSeconds.get() + ": must be greater than 0", "sinceSeconds"));
    }
    if (sinceSeconds.isPresent() && sinceTime.isPresent()) {
      causes.add(new io.daemonset.model.Status.StatusCause("FieldValueForbidden",
          "Forbidden: at most one of `sinceTime` or `sinceSeconds` may be specified", ""));
    }
    if (!causes.isEmpty()) {
      throw ApiException.invalid("", "PodLogOptions", pod, causes);
    }
    return sinceSeconds.isPresent() || sinceTime.isPresent();
  }

  private static boolean flag(Call call, String name) {
    String value = call.queryOr(name, "false");
    return value.equals("true") || value.equals("1");
  }

  private static Optional<Long> number(Call call, String name, long least) {
    Optional<String> value = call.query(name).filter(v -> !v.isEmpty());
    if (value.isEmpty()) {
      return Optional.empty();
    }
    try {
      long n = Long.parseLong(value.get());
      if (n < least) {
        throw ApiException.badRequest(name + ": must be greater than or equal to " + least);
      }
      return Optional.of(n);
    } catch (NumberFormatException e) {
      throw ApiException.badRequest(name + ": not a number: " + q(value.get()));
    }
  }

  private static String text(InputStream body) {
    try (body) {
      return new String(body.readNBytes(4096), StandardCharsets.UTF_8).trim();
    } catch (IOException e) {
      return "";
    }
  }

  private static String seg(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private static String q(String s) {
    return Authorizer.quote(s);
  }
}
