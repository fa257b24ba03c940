package io.daemonset.api;

import io.daemonset.model.FieldError;
import io.daemonset.model.FieldErrors;
import io.daemonset.model.ObjectMeta;
import io.daemonset.model.Outcome;
import io.daemonset.model.Status;
import io.daemonset.view.KubeObjects;
import io.daemonset.view.ObjectStore;
import io.daemonset.view.StoredObject;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BiFunction;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.server.Route;

/** What every write route does the same way: identity checks of the body, refusals as Statuses, reading back. */
final class Writes {
  /** How often a plain object's patch is re-applied after a storage conflict (DaemonSets and Nodes queue theirs). */
  static final int PATCH_ATTEMPTS = 5;
  private static final String GENERATE_ALPHABET = "bcdfghjklmnpqrstvwxz2456789";

  private Writes() {}

  /**
   * The body's apiVersion and kind must be the URL's (or absent); its namespace must be the URL's (or absent, then
   * it is the URL's); for a named request (update, patch) its name must be the URL's. A create with only
   * generateName gets a name as upstream generates them (5 random characters).
   */
  static ObjectMeta checkIdentity(Call call, String apiVersion, String kind, ObjectMeta meta) {
    if (apiVersion != null && !apiVersion.isEmpty() && !apiVersion.equals(call.apiVersion())) {
      throw ApiException.badRequest("the API version in the data (" + apiVersion
          + ") does not match the expected API version (" + call.apiVersion() + ")");
    }
    if (kind != null && !kind.isEmpty() && !kind.equals(call.kind().kind)) {
      throw ApiException.badRequest("the kind in the data (" + kind + ") does not match the expected kind ("
          + call.kind().kind + ")");
    }
    ObjectMeta m = meta == null ? ObjectMeta.named(null, null) : meta;
    if (call.kind().namespaced) {
      if (m.namespace() != null && !m.namespace().isEmpty() && !m.namespace().equals(call.req().namespace())) {
        throw ApiException.badRequest("the namespace of the provided object does not match the namespace sent on "
            + "the request");
      }
      m = m.withNamespace(call.req().namespace());
    } else if (m.namespace() != null && !m.namespace().isEmpty()) {
      m = m.withNamespace(null);
    }
    if (!call.req().name().isEmpty()) {
      if (m.name() != null && !m.name().isEmpty() && !m.name().equals(call.req().name())) {
        throw ApiException.badRequest("the name of the object (" + m.name()
            + ") does not match the name on the URL (" + call.req().name() + ")");
      }
      m = m.withName(call.req().name());
    } else if ((m.name() == null || m.name().isEmpty()) && m.generateName() != null && !m.generateName().isEmpty()) {
      StringBuilder suffix = new StringBuilder();
      for (int i = 0; i < 5; i++) {
        suffix.append(GENERATE_ALPHABET.charAt(ThreadLocalRandom.current().nextInt(GENERATE_ALPHABET.length())));
      }
      m = m.withName(m.generateName() + suffix);
    }
    return m;
  }

  /** 422 with one cause per field error, upstream's message (kubectl prints "The DaemonSet "x" is invalid: …"). */
  static void requireValid(Call call, String name, List<FieldError> errors) {
    if (!errors.isEmpty()) {
      throw new ApiException(FieldErrors.toStatus(call.kind().kind, call.req().group(), name, errors));
    }
  }

  /** The value of an accepted write, or the refusal as the Status upstream would send. */
  static <T> T accepted(Call call, String name, Outcome<T> outcome) {
    if (outcome.isOk()) {
      return outcome.value();
    }
    GroupResource gr = call.groupResource();
    throw switch (outcome.refusal()) {
      case NOT_FOUND -> ApiException.notFound(gr, name);
      case ALREADY_EXISTS -> ApiException.alreadyExists(gr, name);
      case CONFLICT -> ApiException.conflict(gr, name, outcome.message() == null ? ApiException.MODIFIED
          : outcome.message());
      case INVALID -> new ApiException(Status.failure(422, "Invalid", call.kind().kind + " "
          + Authorizer.quote(name) + " is invalid: " + outcome.message(), null));
    };
  }

  /**
   * The object as the view now holds it (with its resourceVersion), when it is the same incarnation as the
   * entity's answer; else the answer itself.
   */
  static Object readBack(ObjectStore store, Call call, String namespace, String name, Object answered) {
    Optional<StoredObject> stored = store.index().get(call.kind().resource, namespace, name);
    if (stored.isPresent() && (answered == null || sameUid(stored.get().object(), answered))) {
      return stored.get().object();
    }
    return answered;
  }

  private static boolean sameUid(Object a, Object b) {
    String ua = KubeObjects.metadata(a).uid();
    String ub = KubeObjects.metadata(b).uid();
    return ua == null || ub == null || ua.equals(ub);
  }

  /** Status Success for a delete that leaves nothing behind (upstream's answer when the object is gone at once). */
  static Status deleted(Call call, String name, String uid) {
    GroupResource gr = call.groupResource();
    return Status.success(new Status.StatusDetails(name, gr.group().isEmpty() ? null : gr.group(), gr.resource(),
        uid, null, null));
  }

  /** The resourceVersion a body or patched object asks to be the current one, or "" for none. */
  static String requestedResourceVersion(ObjectMeta meta) {
    return meta == null || meta.resourceVersion() == null ? "" : meta.resourceVersion();
  }

  /** The request's resourceVersion precondition: "" when it names none, else it must be the stored one (409). */
  static String checkResourceVersion(Call call, StoredObject stored, ObjectMeta meta) {
    String rv = requestedResourceVersion(meta);
    if (!rv.isEmpty() && !rv.equals(String.valueOf(stored.resourceVersion()))) {
      throw ApiException.modified(call.groupResource(), call.req().name());
    }
    return rv;
  }

  /** Reads as ReadOnlyRoutes serves them; any other request: its body to the kind's writer. */
  static Route readOrWrite(ReadOnlyRoutes reads, Call call,
                           BiFunction<Call, String, CompletionStage<HttpResponse>> writer) {
    return reads.read(call).orElseGet(() -> Bodies.text(call.http(), body -> writer.apply(call, body)));
  }

  /** The answer to a write: the object as the client asked for it (Table, …), with the request's warnings. */
  static HttpResponse respond(Call call, int code, Object object, List<String> warnings) {
    return Render.withWarnings(Responses.json(code, Render.forClient(object, call)), warnings);
  }

  static CompletionStage<HttpResponse> done(Call call, int code, Object object, List<String> warnings) {
    return CompletableFuture.completedFuture(respond(call, code, object, warnings));
  }
}
