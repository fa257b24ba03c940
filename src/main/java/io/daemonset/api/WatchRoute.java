package io.daemonset.api;

import static org.apache.pekko.http.javadsl.server.Directives.complete;
import static org.apache.pekko.http.javadsl.server.Directives.extractActorSystem;
import static org.apache.pekko.http.javadsl.server.Directives.extractRequest;
import static org.apache.pekko.http.javadsl.server.Directives.handleWebSocketMessagesForOptionalProtocol;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.daemonset.model.Json;
import io.daemonset.model.ListMeta;
import io.daemonset.model.Table;
import io.daemonset.view.ClusterView;
import io.daemonset.view.ObjectStore;
import io.daemonset.view.StoredObject;
import io.daemonset.view.WatchEvent;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.actor.Cancellable;
import java.util.Base64;
import java.util.Optional;
import org.apache.pekko.http.javadsl.model.AttributeKeys;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.ws.BinaryMessage;
import org.apache.pekko.http.javadsl.model.ws.Message;
import org.apache.pekko.http.javadsl.model.ws.TextMessage;
import org.apache.pekko.http.javadsl.model.ws.WebSocketUpgrade;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.stream.BoundedSourceQueue;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.util.ByteString;

/**
 * watch=true: a chunked stream (or, on a WebSocket upgrade, a WebSocket) of newline-delimited {@code {"type":…,"object":…}} events, from
 * {@link ClusterView#subscribe}, filtered by namespace and label/field selectors, objects rendered as the request
 * asks (its group-version; a one-row Table per event when it asks for Tables, column definitions in the first).
 * <ul>
 *   <li>resourceVersion "" or "0": ADDED for every selected object that exists, then the changes after them;
 *       otherwise the changes after that resourceVersion, or one ERROR event with a 410 Expired Status when the
 *       view no longer holds them (upstream answers watches that way, not with an HTTP 410).</li>
 *   <li>An object that stops matching the selectors is DELETED for this watch; one that starts matching, ADDED.</li>
 *   <li>BOOKMARK events every {@code bookmarkInterval} when allowWatchBookmarks asks, carrying a resourceVersion
 *       no newer than the last change this watch was offered, so no event older than a bookmark follows it.</li>
 *   <li>The stream ends after timeoutSeconds (default: 30 to 60 minutes, as kube-apiserver's min-request-timeout).</li>
 *   <li>Backpressure: the view never waits for a watcher. Each watch has a bounded buffer; a client too slow to
 *       drain it has its watch closed (the client re-watches from its last resourceVersion, as client-go does).</li>
 * </ul>
 */
final class WatchRoute {
  static final int BUFFER = 1_000;

  private final ObjectStore store;
  private final Clock clock;
  private final Duration bookmarkInterval;

  WatchRoute(ObjectStore store, Clock clock, Duration bookmarkInterval) {
    this.store = store;
    this.clock = clock;
    this.bookmarkInterval = bookmarkInterval;
  }

  /** One event as it leaves: type, object (stored form) and resourceVersion; or a Status (ERROR). */
  private record Out(String type, Object object, long resourceVersion) {}

  Route route(Call call) {
    ListQuery query = ListQuery.parse(call);
    if (!query.watchFromNow()) {
      query.watchResourceVersion(); // 400 for a malformed one, before the stream starts
    }
    Duration timeout = query.timeoutSeconds().isPresent()
        ? Duration.ofSeconds(Math.max(1, query.timeoutSeconds().getAsLong()))
        : Duration.ofSeconds(1800 + ThreadLocalRandom.current().nextLong(1800));
    // Room for what the watch starts with, beside the BUFFER of changes it may fall behind by: the objects listed
    // (from now), or the changes replayed (from a resourceVersion). A watch resumed more than BUFFER changes behind
    // was ended again as soon as its replay filled the buffer, and its client came back for the next 1,000: six
    // watches in a row for the hollow fleet's watch of 5,000 nodes' pods (docs/performance.md, ready9). Upstream
    // replays a resumed watch's events apart from the buffer it judges a slow watcher by, too.
    int buffer = BUFFER + (query.watchFromNow() ? store.index().list(call.kind().resource).size()
        : store.view().replayBound(query.watchResourceVersion()));
    return extractActorSystem(system -> {
      Encoder encoder = new Encoder(call);
      Source<ByteString, NotUsed> events = Source.<Out>queue(buffer)
          .mapMaterializedValue(queue -> new Session(call, query, queue).start(system))
          .watchTermination((session, done) -> {
            done.whenComplete((ok, failed) -> session.close());
            return NotUsed.getInstance();
          })
          .takeWithin(timeout)
          .map(encoder::encode);
      return extractRequest(http -> http.getAttribute(AttributeKeys.webSocketUpgrade)
          .map(upgrade -> webSocket(upgrade, events))
          .orElseGet(() -> complete(HttpResponse.create().withEntity(
              HttpEntities.createChunked(ContentTypes.APPLICATION_JSON, events)))));
    });
  }

  /**
   * The same events over a WebSocket, as kube-apiserver also serves watches (the fabric8 client's default): one
   * event per message; raw JSON in binary messages for the "binary.k8s.io" subprotocol, base64 text for
   * "base64.binary.k8s.io", JSON text without a subprotocol. What the client sends is ignored; its close ends
   * the watch.
   */
  private static Route webSocket(WebSocketUpgrade upgrade, Source<ByteString, NotUsed> events) {
    List<String> offered = new java.util.ArrayList<>();
    upgrade.getRequestedProtocols().forEach(offered::add);
    Optional<String> protocol = offered.contains("base64.binary.k8s.io") ? Optional.of("base64.binary.k8s.io")
        : offered.contains("binary.k8s.io") ? Optional.of("binary.k8s.io") : Optional.empty();
    Source<Message, NotUsed> messages = events.map(line -> {
      ByteString json = line.take(line.length() - 1); // without the newline
      return switch (protocol.orElse("")) {
        case "binary.k8s.io" -> BinaryMessage.create(json);
        case "base64.binary.k8s.io" -> TextMessage.create(Base64.getEncoder().encodeToString(json.toArray()));
        default -> TextMessage.create(json.utf8String());
      };
    });
    return handleWebSocketMessagesForOptionalProtocol(Flow.fromSinkAndSourceCoupled(Sink.ignore(), messages),
        protocol);
  }

  /** One watcher of the view: decides what this watch sends, never blocks the view. */
  private final class Session implements ClusterView.Watcher {
    private final Call call;
    private final ListQuery query;
    private final BoundedSourceQueue<Out> queue;
    /** Keys this watch has shown as existing (and selected), with the resourceVersion last sent for each. */
    private final Map<String, Long> shown = new HashMap<>();
    private volatile long lastOffered;
    private volatile boolean closed;
    private ClusterView.Subscription subscription;
    private Cancellable bookmarks;

    Session(Call call, ListQuery query, BoundedSourceQueue<Out> queue) {
      this.call = call;
      this.query = query;
      this.queue = queue;
    }

    Session start(ActorSystem system) {
      ClusterView view = store.view();
      long from;
      if (query.watchFromNow()) {
        from = view.resourceVersion();
        List<StoredObject> existing = store.index().list(call.kind().resource).stream()
            .filter(o -> query.matches(call.kind(), o.object()))
            .sorted(Comparator.comparing(StoredObject::key)).toList();
        synchronized (this) {
          for (StoredObject o : existing) {
            shown.put(o.key(), o.resourceVersion());
            offer(new Out("ADDED", o.object(), o.resourceVersion()));
          }
        }
      } else {
        from = query.watchResourceVersion();
        synchronized (this) {
          // The client listed at `from`; what selects now is the best guess of what it holds.
          store.index().list(call.kind().resource).stream().filter(o -> query.matches(call.kind(), o.object()))
              .forEach(o -> shown.put(o.key(), from));
        }
      }
      lastOffered = from;
      ClusterView.Subscription sub = view.subscribe(from, this);
      synchronized (this) {
        subscription = sub;
      }
      if (sub.gone()) {
        offer(new Out("ERROR", ApiException.expired("too old resource version: " + from + " ("
            + view.resourceVersion() + ")").status(), 0));
        end(queue);
        close();
        return this;
      }
      if (closed) {
        sub.cancel().run();
      }
      if (query.allowWatchBookmarks()) {
        bookmarks = system.scheduler().scheduleWithFixedDelay(bookmarkInterval, bookmarkInterval,
            () -> offer(new Out("BOOKMARK", null, lastOffered)), system.dispatcher());
      }
      return this;
    }

    /** Called by the view, in journal order, under its lock: decide, enqueue, return at once. */
    @Override
    public synchronized void accept(WatchEvent change) {
      if (closed) {
        return;
      }
      if (change.resource().equals(call.kind().resource) && change.object() != null) {
        decide(change);
      }
      lastOffered = Math.max(lastOffered, change.resourceVersion());
    }

    /**
     * The view stopped sending this watch changes (deciding one threw): end it with an error event, as the
     * apiserver does, so the client watches again from its last resourceVersion instead of waiting on a silent stream.
     */
    @Override
    public synchronized void dropped(RuntimeException cause) {
      offer(new Out("ERROR", ApiException.internal("this watch ended on an internal error: " + cause).status(), 0));
      if (!closed) {
        closed = true;
        end(queue);
      }
      if (bookmarks != null) {
        bookmarks.cancel();
      }
    }

    private void decide(WatchEvent change) {
      String key = change.namespace() == null ? change.name() : change.namespace() + "/" + change.name();
      Long sentAt = shown.get(key);
      if (sentAt != null && change.resourceVersion() <= sentAt) {
        return; // already in the ADDED this watch started with
      }
      boolean wasShown = sentAt != null;
      boolean selected = query.matches(call.kind(), change.object());
      if (change.type().equals("DELETED")) {
        if (wasShown || (selected && !query.watchFromNow())) {
          shown.remove(key);
          offer(new Out("DELETED", change.object(), change.resourceVersion()));
        }
      } else if (selected) {
        String type = change.type().equals("ADDED") || !wasShown ? "ADDED" : "MODIFIED";
        shown.put(key, change.resourceVersion());
        offer(new Out(type, change.object(), change.resourceVersion()));
      } else if (wasShown) {
        shown.remove(key);
        offer(new Out("DELETED", change.object(), change.resourceVersion()));
      }
    }

    private void offer(Out out) {
      if (closed) {
        return;
      }
      if (!queue.offer(out).isEnqueued()) {
        // Too slow (or gone): end this watch rather than hold the view back; the client resumes from its RV.
        closed = true;
        end(queue);
        if (subscription != null) {
          subscription.cancel().run();
        }
      }
    }

    void close() {
      closed = true;
      ClusterView.Subscription sub;
      synchronized (this) {
        sub = subscription;
      }
      if (sub != null) {
        sub.cancel().run();
      }
      if (bookmarks != null) {
        bookmarks.cancel();
      }
    }
  }

  /**
   * Ends a watch's stream from the view's side. The client may have ended it first (it went away, or the watch's
   * timeout cancelled the queue) before this watch's subscription was cancelled: the queue then refuses the offer
   * and completing it again throws, which must not reach the view (it would lose the rest of the rows it was
   * applying).
   */
  static void end(BoundedSourceQueue<?> queue) {
    try {
      queue.complete();
    } catch (IllegalStateException alreadyEnded) {
      // ended by the client or the timeout: nothing left to end
    }
  }

  /** Events as bytes: one JSON object and a newline each. */
  private static final ByteString NEWLINE = ByteString.fromString("\n");
  private static final ByteString FRAME_END = ByteString.fromString("}\n");

  private static boolean isChange(String type) {
    return type.equals("ADDED") || type.equals("MODIFIED") || type.equals("DELETED");
  }

  /** One watch event on the wire: {"type":…,"object":…}, the object written even when null (as the tree did). */
  record Frame(String type,
                       @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.ALWAYS)
                       Object object) {}

  private final class Encoder {
    private final Call call;
    private boolean columnsSent;

    Encoder(Call call) {
      this.call = call;
    }

    ByteString encode(Out out) {
      if (isChange(out.type()) && !call.wantsTable() && Render.forClient(out.object(), call) == out.object()) {
        // the view's object as it is: its JSON is shared with the write's answer and the other watchers of it
        byte[] object = EncodedObjects.shared().json(out.object());
        return ByteString.fromString("{\"type\":\"" + out.type() + "\",\"object\":")
            .concat(ByteString.fromArrayUnsafe(object)).concat(FRAME_END);
      }
      // written in one pass: a tree of the object first, then the tree, cost the watch twice (2% of a converge)
      try {
        byte[] json = Json.mapper().writeValueAsBytes(new Frame(out.type(), object(out)));
        return ByteString.fromArrayUnsafe(json).concat(NEWLINE);
      } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }

    private Object object(Out out) {
      String rv = String.valueOf(out.resourceVersion());
      if (out.type().equals("ERROR")) {
        return out.object();
      }
      if (out.type().equals("BOOKMARK")) {
        if (call.wantsTable()) {
          return Table.of(new ListMeta(rv, null, null), List.of(), List.of());
        }
        ObjectNode bookmark = JsonNodeFactory.instance.objectNode().put("kind", call.kind().kind)
            .put("apiVersion", call.apiVersion());
        bookmark.putObject("metadata").put("resourceVersion", rv).putNull("creationTimestamp");
        return bookmark;
      }
      Object served = Render.forClient(out.object(), call);
      if (!call.wantsTable()) {
        return served;
      }
      Table table = Render.table(call, List.of(served), new ListMeta(rv, null, null), clock.instant());
      if (columnsSent) {
        table = new Table(table.apiVersion(), table.kind(), table.metadata(), List.of(), table.rows());
      }
      columnsSent = true;
      return table;
    }
  }
}
