package io.daemonset.console;

import io.daemonset.model.DaemonSet;
import io.daemonset.model.Json;
import io.daemonset.placement.Selector;
import io.daemonset.view.ClusterView;
import io.daemonset.view.ObjectIndex;
import io.daemonset.view.WatchEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import org.apache.pekko.NotUsed;
import org.apache.pekko.http.javadsl.model.sse.ServerSentEvent;
import org.apache.pekko.stream.javadsl.Source;

/**
 * A page's live updates: one Server-Sent Events stream per open page, fed by the same watch fan-out that serves the
 * API's watches ({@link ClusterView#subscribe}), from the resourceVersion the page was rendered at, so nothing between
 * rendering and subscribing is missed.
 * <p>The watch marks what changed (a flag per kind, cheap, under the view's lock); every {@link #FLUSH} the stream
 * turns what changed into at most one message per kind: the overview's counts, the DaemonSets' summaries, and for the
 * fleet map only the cells whose state changed since the last message. A 5,000-node converge makes tens of
 * thousands of watch events; the browser gets four small messages a second and applies each in one frame.
 * The stream ends when the session does (sign-out, expiry), and asks the page to reload when the watch window no
 * longer holds its resourceVersion.
 */
final class LiveFeed {
  static final Duration FLUSH = Duration.ofMillis(250);
  static final Duration KEEP_ALIVE = Duration.ofSeconds(15);

  /** What the page shows: "overview", "daemonsets" or "fleet" (with a DaemonSet key and a node label filter). */
  record Scope(String page, String daemonSet, Selector filter, long fromResourceVersion) {}

  private final ObjectIndex index;
  private final Scope scope;
  private final AtomicBoolean nodesOrPods = new AtomicBoolean(true);
  private final AtomicBoolean daemonSets = new AtomicBoolean(true);
  private final Map<String, String> sentCells = new HashMap<>();
  private volatile boolean gone;
  private boolean ended;
  private Runnable cancel = () -> { };

  private LiveFeed(ObjectIndex index, Scope scope) {
    this.index = index;
    this.scope = scope;
  }

  static Source<ServerSentEvent, NotUsed> source(ClusterView view, Scope scope, BooleanSupplier sessionLive) {
    return Source.single(scope).flatMapConcat(s -> {
      LiveFeed feed = new LiveFeed(view.index(), s);
      feed.start(view);
      return Source.tick(Duration.ZERO, FLUSH, NotUsed.notUsed())
          .map(tick -> feed.drain(sessionLive.getAsBoolean()))
          .takeWhile(events -> !events.isEmpty() || !feed.ended, true)
          .mapConcat(events -> events)
          .keepAlive(KEEP_ALIVE, ServerSentEvent::heartbeat)
          .watchTermination((mat, done) -> {
            done.whenComplete((d, t) -> feed.cancel.run());
            return NotUsed.notUsed();
          });
    });
  }

  private void start(ClusterView view) {
    // The page already shows everything up to its resourceVersion; mark all changed so the first message
    // brings it up to date with whatever the view applied since.
    ClusterView.Subscription subscription = view.subscribe(scope.fromResourceVersion(), this::mark);
    gone = subscription.gone();
    cancel = subscription.cancel();
  }

  /** Runs under the view's lock on its stream: only flags, never work. */
  private void mark(WatchEvent change) {
    switch (change.resource()) {
      case ObjectIndex.NODES, ObjectIndex.PODS -> nodesOrPods.set(true);
      case ObjectIndex.DAEMONSETS, ObjectIndex.REVISIONS -> daemonSets.set(true);
      default -> { }
    }
  }

  private List<ServerSentEvent> drain(boolean sessionLive) {
    List<ServerSentEvent> out = new ArrayList<>();
    if (ended) {
      return out;
    }
    if (!sessionLive) {
      ended = true;
      out.add(ServerSentEvent.create("{}", "signedout"));
      return out;
    }
    if (gone) {
      ended = true;
      out.add(ServerSentEvent.create("{}", "reload"));
      return out;
    }
    boolean cells = nodesOrPods.getAndSet(false);
    boolean sets = daemonSets.getAndSet(false);
    switch (scope.page()) {
      case "overview" -> {
        if (cells || sets) {
          out.add(ServerSentEvent.create(Json.write(Overview.counts(index)), "counts"));
        }
      }
      case "daemonsets" -> {
        if (sets) {
          out.add(ServerSentEvent.create(Json.write(DaemonSetSummary.all(index)), "daemonsets"));
        }
      }
      case "fleet" -> fleet(cells, sets, out);
      default -> { }
    }
    return out;
  }

  private void fleet(boolean cells, boolean sets, List<ServerSentEvent> out) {
    if (!cells && !sets) {
      return;
    }
    DaemonSet ds = Pages.daemonSet(index, scope.daemonSet()).orElse(null);
    if (sets && ds != null) {
      out.add(ServerSentEvent.create(Json.write(List.of(DaemonSetSummary.of(ds, index))), "daemonsets"));
    }
    FleetModel model = FleetModel.of(index, ds, scope.filter());
    Map<String, String> changed = new LinkedHashMap<>();
    model.cells().forEach((node, cell) -> {
      String code = cell.state().code();
      if (!code.equals(sentCells.put(node, code))) {
        changed.put(node, code);
      }
    });
    List<String> removed = sentCells.keySet().stream().filter(n -> !model.cells().containsKey(n)).toList();
    removed.forEach(sentCells::remove);
    if (!changed.isEmpty() || !removed.isEmpty()) {
      Map<String, Object> message = new LinkedHashMap<>();
      message.put("cells", changed);
      message.put("removed", removed);
      Map<String, Integer> counts = new LinkedHashMap<>();
      model.counts().forEach((state, n) -> counts.put(state.code(), n));
      message.put("counts", counts);
      out.add(ServerSentEvent.create(Json.write(message), "cells"));
    }
  }
}
