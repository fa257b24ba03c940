package io.daemonset.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.daemonset.auth.Identity;
import io.daemonset.auth.Pki;
import io.daemonset.auth.TokenFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One identity per cluster: members sharing a data directory serve one CA and one set of tokens. */
class SharedIdentityTest {
  @TempDir Path shared;

  @Test
  void membersStartingTogetherCreateOneCaAndOneTokenFile() throws Exception {
    int members = 4;
    CyclicBarrier together = new CyclicBarrier(members);
    ExecutorService pool = Executors.newFixedThreadPool(members);
    try {
      List<Future<Object[]>> started = IntStream.range(0, members).mapToObj(i -> pool.submit((Callable<Object[]>) () -> {
        together.await();
        Pki pki = Pki.loadOrCreate(shared, List.of("10.0.0." + (i + 1)));
        TokenFile tokens = TokenFile.loadOrCreate(shared);
        return new Object[] {pki, tokens};
      })).toList();
      Pki first = (Pki) started.get(0).get()[0];
      String admin = ((TokenFile) started.get(0).get()[1]).tokenFor(TokenFile.ADMIN_USER).orElseThrow();
      for (Future<Object[]> member : started) {
        Pki pki = (Pki) member.get()[0];
        assertThat(pki.caCertificate()).isEqualTo(first.caCertificate());
        pki.serverCertificate().verify(first.caCertificate().getPublicKey());
        assertThat(((TokenFile) member.get()[1]).tokenFor(TokenFile.ADMIN_USER)).hasValue(admin);
      }
    } finally {
      pool.shutdownNow();
    }
    // Re-issued certificates keep the names of those they replace: the last one names every member.
    assertThat(Pki.subjectAltNames(Pki.loadOrCreate(shared, List.of()).serverCertificate()))
        .contains("10.0.0.1", "10.0.0.2", "10.0.0.3", "10.0.0.4", "127.0.0.1", "localhost");
  }

  @Test
  void aNodeCredentialIssuedByOneMemberIsKnownToTheOthersAndRevokedForAllWhenItsNodeIsDeleted() throws Exception {
    TokenFile issuing = TokenFile.loadOrCreate(shared);
    TokenFile other = TokenFile.loadOrCreate(shared);
    TokenFile.NodeCredential credential = issuing.nodeCredential("worker-1");
    assertThat(credential.issued()).isTrue();

    other.reloadIfChanged();
    assertThat(other.authenticate(credential.token())).hasValueSatisfying(id -> assertThat(id.nodeName()).hasValue("worker-1"));
    assertThat(other.nodeCredential("worker-1")).satisfies(c -> {
      assertThat(c.issued()).isFalse();
      assertThat(c.token()).isEqualTo(credential.token());
    });

    assertThat(other.revokeNode("worker-1")).isEqualTo(1);
    issuing.reloadIfChanged();
    assertThat(issuing.authenticate(credential.token())).isEmpty();
    assertThat(other.authenticate(credential.token())).isEmpty();
    assertThat(issuing.tokenFor(TokenFile.ADMIN_USER)).isPresent();
  }

  @Test
  void aNodeCredentialIssuedByAnotherMemberAuthenticatesAtOnce() {
    TokenFile issuing = TokenFile.loadOrCreate(shared);
    TokenFile other = TokenFile.loadOrCreate(shared);
    // The other member has just authenticated a request: its once-a-second look at the file is not due.
    assertThat(other.authenticate(other.tokenFor(TokenFile.ADMIN_USER).orElseThrow())).isPresent();

    TokenFile.NodeCredential credential = issuing.nodeCredential("worker-2");

    assertThat(other.authenticate(credential.token()))
        .hasValueSatisfying(id -> assertThat(id.nodeName()).hasValue("worker-2"));
  }

  @Test
  void anOperatorEditOfTokensCsvTakesEffectWithoutARestart() throws Exception {
    TokenFile tokens = TokenFile.loadOrCreate(shared);
    String leaked = tokens.issue(new Identity("ci-bot", "u1", Set.of(Identity.MASTERS)));
    assertThat(tokens.authenticate(leaked)).isPresent();

    Path file = shared.resolve(TokenFile.FILE_NAME);
    List<String> kept = Files.readAllLines(file).stream().filter(l -> !l.startsWith(leaked)).toList();
    Files.write(file, kept, StandardCharsets.UTF_8);
    Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(5)));

    assertThat(tokens.reloadIfChanged()).isTrue();
    assertThat(tokens.authenticate(leaked)).isEmpty();
    assertThat(tokens.tokenFor(TokenFile.ADMIN_USER)).isPresent();
  }

  @Test
  void aMalformedEditKeepsTheTokensReadBefore() throws Exception {
    TokenFile tokens = TokenFile.loadOrCreate(shared);
    String admin = tokens.tokenFor(TokenFile.ADMIN_USER).orElseThrow();
    Files.writeString(shared.resolve(TokenFile.FILE_NAME), "only-a-token\n");
    assertThat(tokens.reloadIfChanged()).isFalse();
    assertThat(tokens.authenticate(admin)).isPresent();
  }

  @Test
  void operatorCertificateFilesAreServedAsGivenAndAMismatchedKeyIsRefused() throws Exception {
    Path pkiDir = shared.resolve("operator-pki");
    Pki operators = Pki.loadOrCreate(pkiDir, List.of("api.example.org"));
    Path chain = shared.resolve("chain.pem");
    Files.writeString(chain, Files.readString(pkiDir.resolve(Pki.SERVER_CRT)) + Files.readString(pkiDir.resolve(Pki.CA_CRT)));

    Pki served = Pki.fromFiles(chain, pkiDir.resolve(Pki.SERVER_KEY));
    assertThat(served.serverCertificate()).isEqualTo(operators.serverCertificate());
    assertThat(served.caCertificate()).isEqualTo(operators.caCertificate());
    assertThat(served.serverSslContext().getProtocol()).isEqualTo("TLS");

    assertThatThrownBy(() -> Pki.fromFiles(chain, pkiDir.resolve(Pki.CA_KEY)))
        .hasMessageContaining("is not the private key");
  }
}
