package io.daemonset.console;

import io.daemonset.model.DaemonSet;
import io.daemonset.model.Json;
import io.daemonset.model.Pod;
import io.daemonset.placement.Selector;
import io.daemonset.view.ClusterView;
import io.daemonset.view.ObjectIndex;
import io.daemonset.view.WatchEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import org.apache.pekko.NotUsed;
import org.apache.pekko.http.javadsl.model.sse.ServerSentEvent;
import org.apache.pekko.stream.javadsl.Source;

/**
 * A page's live updates: one Server-Sent Events stream per open page, fed by the same watch fan-out that serves the
 * API's watches ({@link ClusterView#subscribe}), from the resourceVersion the page was rendered at, so nothing between
 * rendering and subscribing is missed.
 * <p>The watch marks what changed (a flag per kind and, for the fleet map, the names of the nodes whose node or pods
 * changed: cheap, under the view's lock); every {@link #FLUSH} the stream turns what changed into at most one message
 * per kind: the overview's counts, the DaemonSets' summaries, and for the fleet map only the cells whose state
 * changed since the last message (names and state codes as two compact strings, {@link FleetDiff#message}; the first
 * message replaces the page's cells). The overview's counts are kept from the changes themselves ({@link OverviewTally},
 * counted once when the page subscribes), not recounted over every node and pod. The fleet map looks up only the marked nodes ({@link FleetModel#cell}), and the
 * whole fleet only when the DaemonSet's spec or current revision changed ({@link Shape}): a 5,000-node converge makes
 * tens of thousands of watch events, and rebuilding the fleet four times a second per open page took the CPU the
 * browser and the control plane needed. The browser gets four small messages a second and applies each in one frame.
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
  /** Nodes whose node object or pods changed since the last message (fleet page only). */
  private final Set<String> changedNodes = ConcurrentHashMap.newKeySet();
  private final boolean fleetPage;
  /** What the page has been sent: node → state code, and the shape those codes were computed for. */
  private final Map<String, String> sentCells = new HashMap<>();
  private Shape sentShape = Shape.UNSENT;
  /** How many of sentCells are in each state, kept with them: a message's counts cost its changes, not the fleet. */
  private final Map<String, Integer> sentCounts = new LinkedHashMap<>();
  /** The Overview's counts, kept from the watch (Overview page only). */
  private volatile OverviewTally tally;
  private volatile boolean gone;
  private boolean ended;
  private Runnable cancel = () -> { };

  private LiveFeed(ObjectIndex index, Scope scope) {
    this.index = index;
    this.scope = scope;
    this.fleetPage = "fleet".equals(scope.page());
    for (CellState state : CellState.values()) {
      sentCounts.put(state.code(), 0);
    }
  }

  /**
   * What decides every cell at once: the DaemonSet (uid), its spec (generation: selector, affinity, tolerations,
   * template) and the revision hash new pods get. When it changes, every node is looked at again.
   */
  record Shape(String uid, long generation, String hash) {
    static final Shape UNSENT = new Shape("", -1, "");
    static final Shape NO_DAEMONSET = new Shape(null, 0, null);

    static Shape of(DaemonSet ds, String hash) {
      if (ds == null) {
        return NO_DAEMONSET;
      }
      Long generation = ds.metadata().generation();
      return new Shape(ds.metadata().uid(), generation == null ? 0 : generation, hash);
    }
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
    if ("overview".equals(scope.page())) {
      // counts are absolute: counted once now, then kept from every change after now, whatever the page's version
      // (the tally is set inside the lock, before the first change can reach mark)
      cancel = view.subscribeNow(index -> tally = OverviewTally.of(index), watcher()).subscription().cancel();
      return;
    }
    // The page already shows everything up to its resourceVersion; mark all changed so the first message
    // brings it up to date with whatever the view applied since.
    ClusterView.Subscription subscription = view.subscribe(scope.fromResourceVersion(), watcher());
    gone = subscription.gone();
    cancel = subscription.cancel();
  }

  /** If the view drops this feed (marking threw), the page reloads rather than stop changing. */
  private ClusterView.Watcher watcher() {
    return ClusterView.watcher(this::mark, cause -> gone = true);
  }

  /** Runs under the view's lock on its stream: only flags and, for the Overview, a few comparisons. */
  private void mark(WatchEvent change) {
    if (tally != null) {
      tally.apply(change);
    }
    switch (change.resource()) {
      case ObjectIndex.NODES -> {
        nodesOrPods.set(true);
        if (fleetPage) {
          changedNodes.add(change.name());
        }
      }
      case ObjectIndex.PODS -> {
        nodesOrPods.set(true);
        if (fleetPage) {
          markNodeOf(change.object());
          markNodeOf(change.previous() == null ? null : change.previous().object());
        }
      }
      case ObjectIndex.DAEMONSETS, ObjectIndex.REVISIONS -> daemonSets.set(true);
      default -> { }
    }
  }

  private void markNodeOf(Object pod) {
    if (pod instanceof Pod p && p.spec() != null && p.spec().nodeName() != null) {
      changedNodes.add(p.spec().nodeName());
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
          out.add(ServerSentEvent.create(Json.write(tally.counts()), "counts"));
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
    String hash = ds == null ? null : FleetCells.currentHash(ds, index);
    Shape shape = Shape.of(ds, hash);
    // the first message replaces the page's cells: they are what the page was rendered with, which the feed does not
    // know (sentCells starts empty), so a node that left between rendering and now could not be removed otherwise
    boolean first = sentShape == Shape.UNSENT;
    FleetDiff diff = FleetDiff.between(sentCells, shape.equals(sentShape) ? changedCells(ds, hash) : allCells(ds));
    sentShape = shape;
    if (diff.isEmpty() && !first) {
      return;
    }
    diff.changed().forEach((node, code) -> {
      uncount(sentCells.get(node));
      sentCounts.merge(code, 1, Integer::sum);
    });
    diff.removed().forEach(node -> uncount(sentCells.get(node)));
    diff.applyTo(sentCells);
    out.add(ServerSentEvent.create(Json.write(diff.message(first, new LinkedHashMap<>(sentCounts))), "cells"));
  }

  private void uncount(String code) {
    if (code != null) {
      sentCounts.merge(code, -1, Integer::sum);
    }
  }

  /** The marked nodes' cells now (null: not shown), each looked up alone. */
  private Map<String, String> changedCells(DaemonSet ds, String hash) {
    Map<String, String> looked = new HashMap<>();
    for (Iterator<String> it = changedNodes.iterator(); it.hasNext(); ) {
      String node = it.next();
      // removed before the look-up: a change marked meanwhile is looked at again next time, never lost
      it.remove();
      FleetModel.Cell cell = FleetModel.cell(index, ds, hash, scope.filter(), node);
      looked.put(node, cell == null ? null : cell.state().code());
    }
    return looked;
  }

  /** Every node's cell now, and null for each the page shows that is no longer there. */
  private Map<String, String> allCells(DaemonSet ds) {
    changedNodes.clear();
    Map<String, String> looked = new HashMap<>();
    FleetModel.of(index, ds, scope.filter()).cells().forEach((node, cell) -> looked.put(node, cell.state().code()));
    sentCells.keySet().forEach(node -> looked.putIfAbsent(node, null));
    return looked;
  }
}
