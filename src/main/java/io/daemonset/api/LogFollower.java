package io.daemonset.api;

import io.daemonset.model.Pod;
import io.daemonset.view.ObjectIndex;
import io.daemonset.view.ObjectStore;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.pattern.Patterns;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.util.ByteString;

/**
 * {@code kubectl logs -f}: after the log so far, what the container writes next, read from its agent by asking again
 * from the offset the last answer ended at (the agent's {@value #END_HEADER} header) every {@link #POLL}. Nothing
 * waits on either side between polls, so a follower that goes away costs nothing: its stream is cancelled and no
 * further poll is made. The stream ends when the pod is deleted (or replaced by one of the same name), when the
 * agent no longer has the log, or when the agent cannot be reached.
 */
final class LogFollower {
  /** The agent's header with the log-file offset its answer ends at (io.daemonset.agent.LogServer's). */
  static final String END_HEADER = "X-Log-End";
  static final Duration POLL = Duration.ofMillis(250);
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);

  private final ObjectStore store;
  private final ActorSystem system;
  private final AgentConnections http;

  LogFollower(ObjectStore store, ActorSystem system, AgentConnections http) {
    this.store = store;
    this.system = system;
    this.http = http;
  }

  /**
   * The log of the container at {@code log} (the agent's containerLogs URI) from offset on, as it grows; options
   * ({@code &timestamps=true&sinceTime=…} or empty) are added to every poll.
   */
  Source<ByteString, ?> after(URI log, String options, long offset, Pod pod) {
    return Source.unfoldAsync(offset, from -> Patterns.after(POLL, system.scheduler(), system.dispatcher(),
        () -> next(log, options, from, pod))).filter(bytes -> !bytes.isEmpty());
  }

  private CompletionStage<Optional<Pair<Long, ByteString>>> next(URI log, String options, long from, Pod pod) {
    if (!stillThere(pod)) {
      return CompletableFuture.completedFuture(Optional.empty());
    }
    HttpRequest request = HttpRequest.newBuilder(URI.create(log + "?offset=" + from + options))
        .timeout(REQUEST_TIMEOUT)
        .GET().build();
    return http.send(request, HttpResponse.BodyHandlers.ofByteArray()).handle((response, error) -> {
      if (error != null || response.statusCode() != 200) {
        return Optional.empty();
      }
      long end = response.headers().firstValue(END_HEADER).map(Long::parseLong).orElse(from);
      return Optional.of(Pair.create(end, ByteString.fromArray(response.body())));
    });
  }

  private boolean stillThere(Pod pod) {
    return store.index().get(ObjectIndex.PODS, pod.metadata().namespace(), pod.metadata().name())
        .map(stored -> (Pod) stored.object())
        .filter(now -> Objects.equals(now.metadata().uid(), pod.metadata().uid()))
        .isPresent();
  }

  /** At most limitBytes of the stream (all of it without a limit), the last chunk cut to fit. */
  static Source<ByteString, ?> limited(Source<ByteString, ?> bytes, Optional<Long> limitBytes) {
    if (limitBytes.isEmpty()) {
      return bytes;
    }
    AtomicLong left = new AtomicLong(limitBytes.get()); // one per response: the source is materialized once
    return bytes.map(chunk -> {
      long room = left.getAndAdd(-chunk.length());
      return chunk.length() <= room ? chunk : chunk.take((int) Math.max(0, room));
    }).takeWhile(chunk -> left.get() > 0, true); // ends with the chunk that reached the limit
  }
}
