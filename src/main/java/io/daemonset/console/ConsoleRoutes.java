package io.daemonset.console;

import static org.apache.pekko.http.javadsl.server.Directives.complete;
import static org.apache.pekko.http.javadsl.server.Directives.concat;
import static org.apache.pekko.http.javadsl.server.Directives.extractRequest;
import static org.apache.pekko.http.javadsl.server.Directives.formFieldOptional;
import static org.apache.pekko.http.javadsl.server.Directives.get;
import static org.apache.pekko.http.javadsl.server.Directives.getFromResourceDirectory;
import static org.apache.pekko.http.javadsl.server.Directives.onSuccess;
import static org.apache.pekko.http.javadsl.server.Directives.optionalCookie;
import static org.apache.pekko.http.javadsl.server.Directives.path;
import static org.apache.pekko.http.javadsl.server.Directives.pathEnd;
import static org.apache.pekko.http.javadsl.server.Directives.pathPrefix;
import static org.apache.pekko.http.javadsl.server.Directives.pathSingleSlash;
import static org.apache.pekko.http.javadsl.server.Directives.post;
import static org.apache.pekko.http.javadsl.server.Directives.respondWithHeaders;

import io.daemonset.api.ApiFront;
import io.daemonset.auth.Identity;
import io.daemonset.view.ClusterView;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.headers.HttpCookiePair;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.persistence.jdbc.query.javadsl.JdbcReadJournal;

/**
 * The console's HTTP side: sign-in and sign-out, the session check in front of every page, CSRF checks in front of
 * every action, static assets. Pages themselves are {@link PageRoutes}.
 * <ul>
 *   <li>Sign-in: {@code POST /console/login} with form field {@code token}; a token in tokens.csv whose identity may
 *       read DaemonSets, nodes and pods gets a session; the cookie {@value #COOKIE} holds only the random session
 *       id ({@code HttpOnly; Secure; SameSite=Strict; Path=/console}, Max-Age the session's lifetime).</li>
 *   <li>Every request is authorised as the token's user, re-read from tokens.csv each time: the API's own
 *       authorizer decides what may be seen, and actions are sent to the API as that identity.</li>
 *   <li>Actions and sign-out are POSTs that must carry the session's CSRF token (form field {@code csrf}) and, when
 *       the browser says where they come from (Origin, Sec-Fetch-Site), come from the console's own origin.</li>
 * </ul>
 */
final class ConsoleRoutes {
  static final String COOKIE = "ds_console";

  private final ApiFront front;
  private final SessionStore sessions;
  private final Identities identities;
  private final Html html;
  private final PageRoutes pages;

  ConsoleRoutes(ActorSystem<?> system, ClusterView view, JdbcReadJournal journal, Clock clock, ApiFront front,
                SessionStore sessions) {
    this.front = front;
    this.sessions = sessions;
    this.identities = new Identities(front.tokens());
    this.html = new Html(new Templates());
    this.pages = new PageRoutes(system, view, journal, clock, front, sessions, html);
  }

  Route route() {
    return pathPrefix("console", () -> respondWithHeaders(Html.SECURITY_HEADERS, () -> concat(
        pathEnd(() -> html.redirect("/console/")),
        pathSingleSlash(() -> withVisit(visit -> html.redirect("/console/overview"))),
        path("login", () -> concat(get(() -> html.login(null, 200)), post(this::signIn))),
        path("logout", () -> post(() -> withVisit(visit -> checked(visit, () -> signOut(visit))))),
        pathPrefix("static", () -> get(() -> getFromResourceDirectory("io/daemonset/console/static"))),
        withVisitRoute(visit -> pages.route(visit, action -> checked(visit, action))),
        html.notFound())));
  }

  private Route signIn() {
    return sameOrigin(() -> formFieldOptional("token", token -> {
      Optional<Identity> identity = token.map(String::trim).flatMap(front.tokens()::authenticate)
          .map(Identity::authenticated);
      if (identity.isEmpty()) {
        return html.login("That token is not valid here.", 401);
      }
      if (!mayView(identity.get())) {
        return html.login("The user " + identity.get().user() + " may not read DaemonSets, nodes and pods.", 403);
      }
      return onSuccess(sessions.create(token.get().trim(), identity.get().user()), id -> complete(
          html.redirectResponse("/console/overview").addHeader(RawHeader.create("Set-Cookie", cookie(id,
              sessions.lifetime().toSeconds())))));
    }));
  }

  private Route signOut(Visit visit) {
    return onSuccess(sessions.remove(visit.session()), done -> complete(html.redirectResponse("/console/login")
        .addHeader(RawHeader.create("Set-Cookie", cookie("", 0)))));
  }

  static String cookie(String value, long maxAgeSeconds) {
    return COOKIE + "=" + value + "; Path=/console; Max-Age=" + maxAgeSeconds + "; HttpOnly; Secure; SameSite=Strict";
  }

  /** Pages and actions for signed-in users; anyone else is sent to the sign-in form (GET) or refused (401). */
  private Route withVisit(Function<Visit, Route> inner) {
    return withVisitRoute(inner);
  }

  private Route withVisitRoute(Function<Visit, Route> inner) {
    return extractRequest(request -> optionalCookie(COOKIE, cookie -> onSuccess(
        sessions.find(cookie.map(HttpCookiePair::value).orElse(null)), session -> {
          Optional<Identity> identity = session.flatMap(s -> identities.of(s.tokenDigest()));
          if (session.isEmpty() || identity.isEmpty()) {
            return isRead(request) ? html.redirect("/console/login") : html.error(401, "Sign in first.");
          }
          if (!mayView(identity.get())) {
            return html.error(403, "The user " + identity.get().user() + " may not read DaemonSets, nodes and pods.");
          }
          return inner.apply(new Visit(session.get(), identity.get(), mayAct(identity.get())));
        })));
  }

  /** An action: the session's CSRF token in form field csrf, from the console's own origin. */
  private Route checked(Visit visit, java.util.function.Supplier<Route> action) {
    return sameOrigin(() -> formFieldOptional("csrf", csrf -> Secrets.same(csrf.orElse(null), visit.csrf())
        ? action.get() : html.error(403, "This form is stale or was not sent from the console (CSRF check failed).")));
  }

  private Route sameOrigin(java.util.function.Supplier<Route> inner) {
    return extractRequest(request -> {
      Optional<String> site = request.getHeader("Sec-Fetch-Site").map(HttpHeader::value);
      Optional<String> origin = request.getHeader("Origin").map(HttpHeader::value);
      Optional<String> host = request.getHeader("Host").map(HttpHeader::value);
      boolean siteOk = site.map(s -> s.equals("same-origin") || s.equals("none")).orElse(true);
      boolean originOk = origin.map(o -> host.isPresent() && (o.equals("https://" + host.get())
          || o.equals("http://" + host.get()))).orElse(true);
      return siteOk && originOk ? inner.get() : html.error(403, "Cross-site requests are refused.");
    });
  }

  private static boolean isRead(HttpRequest request) {
    String method = request.method().value();
    return method.equals("GET") || method.equals("HEAD");
  }

  /** Viewers and masters: list daemonsets, nodes and pods (the console shows nothing less). */
  private boolean mayView(Identity identity) {
    return List.of("/apis/apps/v1/daemonsets", "/api/v1/nodes", "/api/v1/pods").stream()
        .allMatch(p -> front.allowed(identity, "GET", p, Map.of()));
  }

  /** Masters: patch DaemonSets (the API still decides each action; this only chooses whether to show buttons). */
  private boolean mayAct(Identity identity) {
    return front.allowed(identity, "PATCH", "/apis/apps/v1/namespaces/default/daemonsets/any", Map.of());
  }
}
