package io.daemonset.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.daemonset.auth.Identity;
import io.daemonset.auth.TokenFile;
import io.daemonset.cluster.ControlPlaneSystem.Settings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Node credentials as cluster state, on two members of one cluster sharing a journal (one H2 database in this JVM)
 * and nothing else that holds credentials: a credential issued through one member authenticates on the other, is the
 * same wherever it is asked for again, and once revoked (the Node deleted) authenticates on neither.
 */
class NodeCredentialsTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  @TempDir static Path dataDir;
  static ControlPlaneSystem first;
  static ControlPlaneSystem second;
  static NodeCredentials onFirst;
  static NodeCredentials onSecond;

  @BeforeAll
  static void twoMembers() throws Exception {
    first = ControlPlaneSystem.start(member().withSeedNodes(List.of()));
    first.awaitMemberUp(TIMEOUT);
    String seed = first.selfAddress().getHost().get() + ":" + first.selfAddress().getPort().get();
    second = ControlPlaneSystem.start(member().withSeedNodes(List.of(seed)));
    second.awaitMemberUp(TIMEOUT);
    onFirst = NodeCredentials.start(first.system(), first.readJournal(), Clock.systemUTC());
    onSecond = NodeCredentials.start(second.system(), second.readJournal(), Clock.systemUTC());
  }

  /** Both members on one data directory: the same H2 journal and the same encryption keys, as serve shares them. */
  private static Settings member() {
    return Settings.defaults().withDataDir(dataDir).withStore(Store.H2).withClusterPort(0);
  }

  @AfterAll
  static void stop() {
    if (second != null) {
      second.close();
    }
    if (first != null) {
      first.close();
    }
  }

  private static <T> T get(java.util.concurrent.CompletionStage<T> stage) throws Exception {
    return stage.toCompletableFuture().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
  }

  @Test
  void aCredentialIssuedThroughOneMemberAuthenticatesOnTheOtherUntilItsNodeIsDeleted() throws Exception {
    TokenFile.NodeCredential issued = get(onFirst.obtain("worker-1"));
    assertThat(issued.issued()).isTrue();
    assertThat(issued.user()).isEqualTo("system:node:worker-1");
    assertThat(onFirst.authenticate(issued.token())).as("the issuing member knows it when it answers")
        .map(Identity::user).contains("system:node:worker-1");

    Optional<Identity> elsewhere = get(onSecond.authenticateSoon(issued.token()));
    assertThat(elsewhere).map(Identity::user).contains("system:node:worker-1");
    assertThat(elsewhere.get().inGroup(Identity.NODES)).isTrue();
    assertThat(onSecond.tokenOf("worker-1")).contains(issued.token());

    TokenFile.NodeCredential again = get(onSecond.obtain("worker-1"));
    assertThat(again.issued()).as("asked again, through the other member").isFalse();
    assertThat(again.token()).isEqualTo(issued.token());

    assertThat(get(onSecond.revoke("worker-1", Instant.now().minusSeconds(60))))
        .as("a deletion older than the credential revokes nothing").isFalse();
    assertThat(get(onSecond.revoke("worker-1", Instant.now()))).isTrue();
    await().atMost(TIMEOUT).until(() -> onFirst.authenticate(issued.token()).isEmpty()
        && onSecond.authenticate(issued.token()).isEmpty() && onFirst.tokenOf("worker-1").isEmpty());
    assertThat(get(onFirst.revoke("worker-1", Instant.now()))).as("every member asks; one revokes").isFalse();

    TokenFile.NodeCredential renewed = get(onFirst.obtain("worker-1"));
    assertThat(renewed.issued()).isTrue();
    assertThat(renewed.token()).isNotEqualTo(issued.token());
    assertThat(get(onSecond.authenticateSoon(issued.token()))).as("the revoked one stays revoked").isEmpty();
  }

  /** The messages and events cross members and the journal: each reads back as written. */
  @Test
  void itsMessagesAndEventsReadBackOnAnotherMember() {
    var serialization = org.apache.pekko.serialization.SerializationExtension.get(first.system().classicSystem());
    var keys = io.daemonset.journal.EncryptionKeys.get(first.system());
    org.apache.pekko.actor.typed.ActorRef<NodeCredentialEntity.Credential> replyTo =
        first.system().deadLetters();
    for (Object message : List.of(
        new NodeCredentialEntity.Obtain(replyTo),
        new NodeCredentialEntity.Revoke(Instant.parse("2026-12-02T10:00:00Z"), first.system().deadLetters()),
        new NodeCredentialEntity.Credential("worker-9", "uid-9", "token-9", true),
        new NodeCredentialEntity.Revoked(true),
        new NodeCredentialEntity.CredentialIssued("uid-9", keys.seal("token-9".getBytes(), "NodeCredential|worker-9"),
            Instant.parse("2026-12-02T10:00:00.123456Z")),
        new NodeCredentialEntity.CredentialRevoked(Instant.parse("2026-12-02T10:00:01Z")))) {
      byte[] bytes = serialization.serialize(message).get();
      var serializer = serialization.findSerializerFor(message);
      Object back = serialization.deserialize(bytes, serializer.identifier(),
          org.apache.pekko.serialization.Serializers.manifestFor(serializer, message)).get();
      assertThat(back).as(message.getClass().getSimpleName()).isEqualTo(message);
    }
  }

  @Test
  void anUnknownTokenIsRefusedAfterTheCatchUpWait() throws Exception {
    long start = System.nanoTime();
    assertThat(get(onSecond.authenticateSoon("no-such-token"))).isEmpty();
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(NodeCredentials.CATCH_UP);
  }

  @Test
  void noCredentialIsWrittenToAFile() throws Exception {
    TokenFile.NodeCredential issued = get(onFirst.obtain("worker-2"));
    try (var files = Files.walk(dataDir)) {
      for (Path file : files.filter(Files::isRegularFile).filter(f -> !f.getFileName().toString().endsWith(".db"))
          .toList()) {
        assertThat(Files.readString(file, java.nio.charset.StandardCharsets.ISO_8859_1)).as(file.toString())
            .doesNotContain(issued.token());
      }
    }
  }
}
