package io.daemonset.console;

import static org.apache.pekko.http.javadsl.server.Directives.complete;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.http.javadsl.server.Route;

/** HTML answers: rendered pages, redirects after forms (303), error pages, and the headers every answer carries. */
final class Html {
  /**
   * No inline script or style anywhere (the pages pass data in data- attributes and a JSON block), nothing from
   * another origin, no framing, forms only to the console itself.
   */
  static final List<HttpHeader> SECURITY_HEADERS = List.of(
      RawHeader.create("Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self'; "
          + "img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'"),
      RawHeader.create("X-Content-Type-Options", "nosniff"),
      RawHeader.create("Referrer-Policy", "no-referrer"),
      RawHeader.create("X-Frame-Options", "DENY"));

  /** What every page's layout shows. */
  record Layout(String title, String user, String role, String csrf, String page, long resourceVersion,
                boolean canAct) {
    boolean overview() {
      return page.equals("overview");
    }

    boolean daemonsets() {
      return page.equals("daemonsets");
    }

    boolean fleet() {
      return page.equals("fleet");
    }
  }

  record Message(String title, String message, int code) {}

  private final Templates templates;

  Html(Templates templates) {
    this.templates = templates;
  }

  static Layout layout(Visit visit, String title, String page, long resourceVersion) {
    return new Layout(title, visit.user(), visit.role(), visit.csrf(), page, resourceVersion, visit.canAct());
  }

  Route page(String template, Layout layout, Object model) {
    return complete(response(200, templates.render(template, layout, model)));
  }

  Route login(String error, int code) {
    return complete(response(code, templates.render("login", new Message("Sign in", error, code))));
  }

  Route error(int code, String message) {
    return complete(response(code, templates.render("error", new Message(
        code == 401 ? "Not signed in" : code == 403 ? "Not allowed" : code == 404 ? "Not found" : "Refused",
        message, code))));
  }

  Route notFound() {
    return error(404, "There is no such page in the console.");
  }

  Route redirect(String location) {
    return complete(redirectResponse(location));
  }

  HttpResponse redirectResponse(String location) {
    return HttpResponse.create().withStatus(StatusCodes.SEE_OTHER)
        .addHeader(RawHeader.create("Location", location))
        .addHeader(RawHeader.create("Cache-Control", "no-store"));
  }

  static HttpResponse response(int code, String body) {
    return HttpResponse.create().withStatus(code)
        .withEntity(ContentTypes.TEXT_HTML_UTF8, body.getBytes(StandardCharsets.UTF_8))
        .addHeader(RawHeader.create("Cache-Control", "no-store"));
  }
}
