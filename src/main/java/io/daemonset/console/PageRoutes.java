package io.daemonset.console;

import static org.apache.pekko.http.javadsl.server.Directives.complete;
import static org.apache.pekko.http.javadsl.server.Directives.completeOK;
import static org.apache.pekko.http.javadsl.server.Directives.concat;
import static org.apache.pekko.http.javadsl.server.Directives.encodeResponse;
import static org.apache.pekko.http.javadsl.server.Directives.get;
import static org.apache.pekko.http.javadsl.server.Directives.onSuccess;
import static org.apache.pekko.http.javadsl.server.Directives.parameterOptional;
import static org.apache.pekko.http.javadsl.server.Directives.path;
import static org.apache.pekko.http.javadsl.server.Directives.pathEnd;
import static org.apache.pekko.http.javadsl.server.Directives.pathPrefix;
import static org.apache.pekko.http.javadsl.server.Directives.post;
import static org.apache.pekko.http.javadsl.server.Directives.extractRequest;
import static org.apache.pekko.http.javadsl.server.PathMatchers.segment;

import io.daemonset.api.ApiFront;
import io.daemonset.model.DaemonSet;
import io.daemonset.placement.SelectorParseException;
import io.daemonset.placement.Selector;
import io.daemonset.view.ClusterView;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.http.javadsl.marshalling.sse.EventStreamMarshalling;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpMethods;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.persistence.jdbc.query.javadsl.JdbcReadJournal;
import org.apache.pekko.stream.Materializer;

/** The pages of a signed-in visit, their live feed, and the DaemonSet actions (sent to the API as the user). */
final class PageRoutes {
  private final ActorSystem<?> system;
  private final ClusterView view;
  private final JdbcReadJournal journal;
  private final Clock clock;
  private final ApiFront front;
  private final SessionStore sessions;
  private final Html html;

  PageRoutes(ActorSystem<?> system, ClusterView view, JdbcReadJournal journal, Clock clock, ApiFront front,
             SessionStore sessions, Html html) {
    this.system = system;
    this.view = view;
    this.journal = journal;
    this.clock = clock;
    this.front = front;
    this.sessions = sessions;
    this.html = html;
  }

  /** checked wraps an action in the CSRF and origin checks. */
  Route route(Visit visit, Function<Supplier<Route>, Route> checked) {
    return concat(
        path("overview", () -> get(() -> encodeResponse(() -> overview(visit)))),
        pathPrefix("daemonsets", () -> concat(
            pathEnd(() -> get(() -> encodeResponse(() -> daemonSets(visit)))),
            pathPrefix(segment().slash(segment()), (namespace, name) -> path(segment(), action ->
                post(() -> checked.apply(() -> action(visit, namespace, name, action))))))),
        path("fleet", () -> get(() -> parameterOptional("ds", ds -> parameterOptional("label",
            label -> encodeResponse(() -> fleet(visit, ds, label)))))),
        path(segment("nodes").slash(segment()), name -> get(() -> encodeResponse(() -> node(visit, name)))),
        path(segment("pods").slash(segment()).slash(segment()), (namespace, name) ->
            get(() -> encodeResponse(() -> pod(visit, namespace, name)))),
        // a browser speaks HTTP/2 here, where pekko-http has no request timer to lift (api.RequestTimeouts)
        path("events", () -> get(() -> extractRequest(request ->
            io.daemonset.api.RequestTimeouts.without(request, () -> events(visit))))));
  }

  private Route overview(Visit visit) {
    long rv = view.resourceVersion();
    return onSuccess(Overview.load(system, view, journal), model ->
        html.page("overview", Html.layout(visit, "Overview", "overview", rv), model));
  }

  record DaemonSetsModel(List<DaemonSetSummary> daemonSets, boolean none) {}

  private Route daemonSets(Visit visit) {
    long rv = view.resourceVersion();
    List<DaemonSetSummary> all = DaemonSetSummary.all(view.index());
    return html.page("daemonsets", Html.layout(visit, "DaemonSets", "daemonsets", rv),
        new DaemonSetsModel(all, all.isEmpty()));
  }

  private Route action(Visit visit, String namespace, String name, String action) {
    if (!Actions.known(action)) {
      return html.notFound();
    }
    Optional<DaemonSet> ds = Pages.daemonSet(view.index(), namespace + "/" + name);
    if (ds.isEmpty()) {
      return html.error(404, "There is no DaemonSet " + namespace + "/" + name + ".");
    }
    Optional<Actions.Patch> patch = Actions.of(action, ds.get(), view.index(), clock.instant());
    if (patch.isEmpty()) {
      return html.error(409, "There is no earlier revision to go back to.");
    }
    HttpRequest request = HttpRequest.create(patch.get().path()).withMethod(HttpMethods.PATCH)
        .withEntity(ContentTypes.parse(patch.get().contentType()), patch.get().body().getBytes(StandardCharsets.UTF_8));
    return onSuccess(front.api().call(visit.identity(), request).thenCompose(this::strict), answer -> {
      if (answer.code() >= 300) {
        return html.error(answer.code(), "The API refused to " + action + " " + namespace + "/" + name + ": "
            + answer.message());
      }
      return html.redirect("/console/daemonsets#" + DaemonSetSummary.domId(namespace, name));
    });
  }

  record ApiAnswer(int code, String message) {}

  private java.util.concurrent.CompletionStage<ApiAnswer> strict(HttpResponse response) {
    return response.entity().toStrict(10_000, Materializer.matFromSystem(system)).thenApply(entity -> {
      String body = entity.getData().utf8String();
      String message = body;
      try {
        message = io.daemonset.model.Json.mapper().readTree(body).path("message").asText(body);
      } catch (Exception notJson) {
        // keep the body as it is
      }
      return new ApiAnswer(response.status().intValue(), message);
    });
  }

  record FleetPage(List<DaemonSetOption> options, DaemonSetSummary daemonSet, String label, String labelError,
                   String cellNodes, String cellStates, List<LegendEntry> legend, int nodes, String selected) {}

  record DaemonSetOption(String key, boolean selected) {}

  record LegendEntry(String code, String label, int count) {}

  private Route fleet(Visit visit, Optional<String> dsParam, Optional<String> labelParam) {
    long rv = view.resourceVersion();
    List<DaemonSetSummary> all = DaemonSetSummary.all(view.index());
    String key = dsParam.filter(k -> !k.isBlank()).orElse(all.isEmpty() ? "" : all.get(0).key());
    DaemonSet ds = Pages.daemonSet(view.index(), key).orElse(null);
    String label = labelParam.orElse("").trim();
    Selector filter = null;
    String labelError = null;
    try {
      filter = label.isEmpty() ? null : Selector.parse(label);
    } catch (SelectorParseException | IllegalArgumentException e) {
      labelError = e.getMessage();
    }
    FleetModel model = FleetModel.of(view.index(), ds, filter);
    List<LegendEntry> legend = java.util.Arrays.stream(CellState.values())
        .map(s -> new LegendEntry(s.code(), s.label(), model.counts().get(s))).toList();
    FleetPage page = new FleetPage(all.stream().map(s -> new DaemonSetOption(s.key(), s.key().equals(key))).toList(),
        ds == null ? null : DaemonSetSummary.of(ds, view.index()), label, labelError,
        model.nodeList(), model.stateCodes(), legend, model.cells().size(), ds == null ? "" : key);
    return html.page("fleet", Html.layout(visit, "Fleet map", "fleet", rv), page);
  }

  private Route node(Visit visit, String name) {
    long rv = view.resourceVersion();
    return Details.node(view.index(), name)
        .map(model -> html.page("node", Html.layout(visit, "Node " + name, "node", rv), model))
        .orElseGet(() -> html.error(404, "There is no node " + name + "."));
  }

  record PodPage(Details.PodModel pod, List<Details.StoryLine> story) {}

  private Route pod(Visit visit, String namespace, String name) {
    long rv = view.resourceVersion();
    Optional<Details.PodModel> model = Details.pod(view.index(), namespace, name);
    if (model.isEmpty()) {
      return html.error(404, "There is no pod " + namespace + "/" + name + ".");
    }
    return onSuccess(Details.story(system, journal, model.get()), story -> html.page("pod",
        Html.layout(visit, "Pod " + name, "pod", rv), new PodPage(model.get(), List.copyOf(story))));
  }

  private Route events(Visit visit) {
    return parameterOptional("page", page -> parameterOptional("ds", ds -> parameterOptional("label",
        label -> parameterOptional("rv", rv -> {
          Selector filter = null;
          try {
            filter = label.filter(l -> !l.isBlank()).map(Selector::parse).orElse(null);
          } catch (RuntimeException badFilter) {
            filter = Selector.nothing();
          }
          long from = rv.map(PageRoutes::parseLong).orElse(view.resourceVersion());
          LiveFeed.Scope scope = new LiveFeed.Scope(page.orElse("overview"), ds.orElse(null), filter, from);
          return completeOK(LiveFeed.source(view, scope, () -> sessions.stillValid(visit.session())),
              EventStreamMarshalling.toEventStream());
        }))));
  }

  private static long parseLong(String value) {
    try {
      return Long.parseLong(value);
    } catch (NumberFormatException e) {
      return 0;
    }
  }
}
