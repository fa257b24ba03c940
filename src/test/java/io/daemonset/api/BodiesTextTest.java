package io.daemonset.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpCharsets;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpMethods;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.MediaTypes;
import org.apache.pekko.http.javadsl.server.Directives;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.util.ByteString;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@link Bodies#text}: a body that arrived whole (strict) and one still arriving (streamed) reach the write as the same
 * text, decoded with the content type's charset as pekko's unmarshaller decodes it.
 */
class BodiesTextTest {
  static ActorTestKit KIT;

  /** Created here, not in a static initializer, so that surefire's rerun of a failed test gets a live system. */
  @BeforeAll
  static void startKit() {
    KIT = ActorTestKit.create();
  }

  @AfterAll
  static void stop() {
    KIT.shutdownTestKit();
  }

  /** Answers with the body it was given, as UTF-8 text. */
  static String echo(HttpRequest request) throws Exception {
    Route route = Directives.extractRequest(http -> Bodies.text(http, body -> CompletableFuture.completedFuture(
        HttpResponse.create().withEntity(ContentTypes.TEXT_PLAIN_UTF8, body.getBytes(StandardCharsets.UTF_8)))));
    HttpResponse response = route.seal().handler(KIT.system()).apply(request).toCompletableFuture()
        .get(10, TimeUnit.SECONDS);
    return response.entity().toStrict(5_000, KIT.system()).toCompletableFuture().get(10, TimeUnit.SECONDS)
        .getData().utf8String();
  }

  @Test
  void aStrictBodyIsReadInPlace() throws Exception {
    String json = "{\"metadata\":{\"name\":\"nöde\"}}";
    assertThat(echo(HttpRequest.PUT("/x").withEntity(ContentTypes.APPLICATION_JSON, json))).isEqualTo(json);
  }

  @Test
  void aStreamedBodyIsCollected() throws Exception {
    List<ByteString> parts = List.of(ByteString.fromString("{\"metadata\":"), ByteString.fromString("{\"name\":\"n\"}}"));
    HttpRequest request = HttpRequest.create("/x").withMethod(HttpMethods.POST)
        .withEntity(HttpEntities.create(ContentTypes.APPLICATION_JSON, 25, Source.from(parts)));
    assertThat(echo(request)).isEqualTo("{\"metadata\":{\"name\":\"n\"}}");
  }

  @Test
  void theContentTypesCharsetDecodesTheBody() throws Exception {
    byte[] latin1 = "name: é".getBytes(StandardCharsets.ISO_8859_1);
    HttpRequest request = HttpRequest.PUT("/x").withEntity(
        MediaTypes.TEXT_PLAIN.toContentType(HttpCharsets.ISO_8859_1), latin1);
    assertThat(echo(request)).isEqualTo("name: é");
  }

  @Test
  void anEmptyBodyIsEmptyText() throws Exception {
    assertThat(echo(HttpRequest.PUT("/x"))).isEmpty();
  }
}
