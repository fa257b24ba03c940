package io.daemonset.cluster;

import static org.apache.pekko.http.javadsl.server.Directives.complete;
import static org.apache.pekko.http.javadsl.server.Directives.concat;
import static org.apache.pekko.http.javadsl.server.Directives.get;
import static org.apache.pekko.http.javadsl.server.Directives.onSuccess;
import static org.apache.pekko.http.javadsl.server.Directives.parameterMap;
import static org.apache.pekko.http.javadsl.server.Directives.path;
import static org.apache.pekko.http.javadsl.server.Directives.pathPrefix;
import static org.apache.pekko.http.javadsl.server.PathMatchers.segment;

import io.daemonset.api.ApiException;
import io.daemonset.audit.AuditAnswers;
import io.daemonset.audit.AuditException;
import io.daemonset.audit.AuditKey;
import io.daemonset.audit.AuditOutput.Format;
import io.daemonset.audit.AuditTimes;
import io.daemonset.audit.EventCodec;
import io.daemonset.audit.ObjectRef;
import java.io.BufferedWriter;
import java.io.OutputStreamWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.http.javadsl.model.ContentType;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.MediaTypes;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.stream.javadsl.StreamConverters;
import org.apache.pekko.util.ByteString;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Admin endpoints beside the Kubernetes API: the audit's questions over HTTP, mirroring the {@code audit}
 * subcommands, for system:masters and group viewers (see {@code Authorizer.AUDIT_READERS}).
 * <ul>
 *   <li>{@code GET /audit/history/KIND/NAME?namespace=&since=&until=&output=json|yaml}</li>
 *   <li>{@code GET /audit/pod/NAME?namespace=}, {@code GET /audit/node/NAME}</li>
 *   <li>{@code GET /audit/at?time=T&object=KIND/NAME&namespace=} or {@code ?time=T&all=true}</li>
 *   <li>{@code GET /audit/export?since=&until=}: JSON Lines, streamed as the journal is read</li>
 *   <li>{@code GET /audit/verify}</li>
 * </ul>
 * The journal is read with JDBC on Pekko's blocking-IO dispatcher; bad parameters get a 400 Status.
 */
final class AdminRoutes {
  private static final Logger LOG = LoggerFactory.getLogger(AdminRoutes.class);
  private static final ContentType YAML = MediaTypes.applicationWithFixedCharset("yaml",
      org.apache.pekko.http.javadsl.model.HttpCharsets.UTF_8).toContentType();
  private static final ContentType JSON_LINES = MediaTypes.applicationWithFixedCharset("jsonl",
      org.apache.pekko.http.javadsl.model.HttpCharsets.UTF_8).toContentType();

  private AdminRoutes() {}

  /** One answer written to a writer; may throw. */
  @FunctionalInterface
  interface Answer {
    void write(Writer out) throws Exception;
  }

  static Route create(ControlPlane plane) {
    AuditAnswers answers = new AuditAnswers(JournalDatabases.of(plane.member().config()),
        EventCodec.of(plane.system()), Clock.systemUTC());
    Executor blocking = plane.system().dispatchers().lookup(DispatcherSelector.blocking());
    AuditKey key = JournalDatabases.auditKey(plane.member().config());
    return pathPrefix("audit", () -> get(() -> parameterMap(q -> concat(
        pathPrefix("history", () -> pathPrefix(segment(), kind -> path(segment(), name -> {
          ObjectRef ref = parse(() -> ObjectRef.parse(kind + "/" + name, q.get("namespace")));
          Instant since = time(q, "since");
          Instant until = time(q, "until");
          Format f = format(q);
          return answer(blocking, f, out -> answers.history(ref, since, until, f, out));
        }))),
        path(segment("pod").slash(segment()), name -> {
          Format f = format(q);
          return answer(blocking, f, out -> answers.pod(q.get("namespace"), name, f, out));
        }),
        path(segment("node").slash(segment()), name -> {
          Format f = format(q);
          return answer(blocking, f, out -> answers.node(name, f, out));
        }),
        path("at", () -> {
          Instant at = time(q, "time");
          boolean all = "true".equals(q.get("all"));
          if (at == null || (q.get("object") == null) == !all) {
            throw ApiException.badRequest("give time=T and either object=KIND/NAME or all=true");
          }
          ObjectRef ref = all ? null : parse(() -> ObjectRef.parse(q.get("object"), q.get("namespace")));
          Format f = format(q) == Format.HUMAN ? Format.YAML : format(q);
          return answer(blocking, f, out -> answers.at(at, ref, f, out));
        }),
        path("export", () -> {
          Instant since = time(q, "since");
          Instant until = time(q, "until");
          return stream(blocking, out -> answers.export(since, until, out));
        }),
        path("verify", () -> {
          Format f = format(q);
          return answer(blocking, f, out -> answers.verify(key, f, out));
        })))));
  }

  /** Computed on the blocking dispatcher, then sent whole (or a Status: 400 for bad input, 404 for a missing object). */
  private static Route answer(Executor blocking, Format format, Answer answer) {
    CompletableFuture<String> text = CompletableFuture.supplyAsync(() -> {
      StringWriter out = new StringWriter();
      try {
        answer.write(out);
      } catch (AuditException e) {
        throw new CompletionException(ApiException.badRequest(e.getMessage()));
      } catch (Exception e) {
        throw new CompletionException(e);
      }
      return out.toString();
    }, blocking);
    ContentType type = switch (format) {
      case JSON -> ContentTypes.APPLICATION_JSON;
      case YAML -> YAML;
      case HUMAN -> ContentTypes.TEXT_PLAIN_UTF8;
    };
    return onSuccess(text, body -> complete(HttpResponse.create().withEntity(
        HttpEntities.create(type, ByteString.fromString(body)))));
  }

  /** Streamed while the journal is read: the body starts before the answer is complete. */
  private static Route stream(Executor blocking, Answer answer) {
    Source<ByteString, NotUsed> body = StreamConverters.asOutputStream(Duration.ofMinutes(1))
        .mapMaterializedValue(os -> {
          blocking.execute(() -> {
            try (Writer out = new BufferedWriter(new OutputStreamWriter(os, StandardCharsets.UTF_8), 64 * 1024)) {
              answer.write(out);
            } catch (Exception e) {
              LOG.warn("audit export ended early: {}", e.toString());
            }
          });
          return NotUsed.notUsed();
        });
    return complete(HttpResponse.create().withEntity(HttpEntities.create(JSON_LINES, body)));
  }

  private static Instant time(Map<String, String> q, String name) {
    return parse(() -> AuditTimes.parse(q.get(name), Instant.now()));
  }

  private static Format format(Map<String, String> q) {
    return parse(() -> Format.parse(q.get("output")));
  }

  private static <T> T parse(java.util.function.Supplier<T> parser) {
    try {
      return parser.get();
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest(e.getMessage());
    }
  }
}
