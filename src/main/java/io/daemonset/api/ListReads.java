package io.daemonset.api;

import io.daemonset.model.ListMeta;
import io.daemonset.model.Status;
import io.daemonset.view.ClusterView;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.ActorSystem;

/**
 * Serves a list from the snapshot {@link ListQuery#read} names, with kube-apiserver's answers when it cannot:
 * <ul>
 *   <li>a continue token or an exact resourceVersion the view's recent-changes window no longer reaches: 410
 *       Expired (for a token, with a continue token that resumes from the latest snapshot, as upstream offers);</li>
 *   <li>a resourceVersion newer than the view: the list waits up to {@link #TOO_NEW_WAIT} for the view to reach it
 *       (a client that wrote through another API server), then answers 504 "Too large resource version".</li>
 * </ul>
 */
final class ListReads {
  static final Duration TOO_NEW_WAIT = Duration.ofSeconds(3);
  static final String EXPIRED = "The resourceVersion for the provided list is too old.";
  static final String CONTINUE_EXPIRED = "The provided continue parameter is too old to display a consistent list"
      + " result. You can start a new list without the continue parameter, or use the continue token in this"
      + " response to retrieve the remainder of the results. Continuing with the provided token results in an"
      + " inconsistent list - objects that were created, modified, or deleted between the time the first chunk was"
      + " returned and now may show up in the list.";

  private final ClusterView view;
  private final ActorSystem system;

  ListReads(ClusterView view, ActorSystem system) {
    this.view = view;
    this.system = system;
  }

  /** The page the call asks for (its failures are ApiExceptions, answered as Status by the error handler). */
  CompletionStage<ListQuery.Page> page(Call call, ListQuery query) {
    ListQuery.Read read = query.read();
    if (read.mode() == ListQuery.ReadMode.LATEST || read.resourceVersion() <= view.resourceVersion()) {
      return CompletableFuture.completedFuture(pageAt(call, query, read));
    }
    CompletableFuture<Long> reached = view.awaitResourceVersion(read.resourceVersion()).toCompletableFuture();
    var timer = system.scheduler().scheduleOnce(TOO_NEW_WAIT, () -> reached.complete(view.resourceVersion()),
        system.dispatcher());
    return reached.thenApplyAsync(now -> {
      timer.cancel();
      if (view.resourceVersion() < read.resourceVersion()) {
        throw tooLarge(read.resourceVersion(), view.resourceVersion());
      }
      return pageAt(call, query, read);
    }, system.dispatcher());
  }

  private ListQuery.Page pageAt(Call call, ListQuery query, ListQuery.Read read) {
    String resource = call.kind().resource;
    long at = read.mode() == ListQuery.ReadMode.EXACT ? read.resourceVersion() : ListQuery.INCONSISTENT;
    java.util.Optional<String> node = query.onlyPodsOf(call.kind());
    // a kubelet's list (spec.nodeName=X) reads its node's pods, not a copy of every pod of the cluster
    ClusterView.Snapshot snapshot = (node.isPresent() ? view.snapshot(resource, at, index -> index.podsOf(node.get()))
        : view.snapshot(resource, at)).orElseThrow(() -> read.continued()
        ? continueExpired(query.inconsistentContinue()) : ApiException.expired(EXPIRED));
    return query.page(call.kind(), snapshot.objects(), snapshot.resourceVersion());
  }

  private static ApiException continueExpired(String token) {
    Status expired = ApiException.expired(CONTINUE_EXPIRED).status();
    return new ApiException(new Status(expired.apiVersion(), expired.kind(), new ListMeta(null, token, null),
        expired.status(), expired.message(), expired.reason(), expired.details(), expired.code()));
  }

  /** Upstream's storage.NewTooLargeResourceVersionError: 504 Timeout, retry after a second. */
  private static ApiException tooLarge(long wanted, long current) {
    String message = "Too large resource version: " + wanted + ", current: " + current;
    return new ApiException(Status.failure(504, "Timeout", "Timeout: " + message, new Status.StatusDetails(null, null,
        null, null, List.of(new Status.StatusCause("ResourceVersionTooLarge", "Too large resource version", null)),
        1)));
  }
}
