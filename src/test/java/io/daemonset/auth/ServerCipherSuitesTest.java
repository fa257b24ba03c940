package io.daemonset.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.daemonset.auth.ServerCipherSuites.CompilerProbe;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ServerCipherSuitesTest {
  private static final String CHACHA = "TLS_CHACHA20_POLY1305_SHA256";
  /** What Go's crypto/tls (kubectl) offers on a CPU with AES-NI. */
  private static final String[] GO_ORDER = {"TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", CHACHA};

  @ParameterizedTest(name = "compiler {0}, tiered {1}, stop at {2}, AES-NI {3}, operator chose {4} → ChaCha20 first {5}")
  @CsvSource({
      "true,  true,  1, true,  false, true",   // the container image: C1 alone
      "true,  true,  3, true,  false, true",   // C1 with profiling, still no C2
      "true,  true,  4, true,  false, false",  // the JDK default: C2's AES-GCM intrinsics
      "true,  false, 4, true,  false, false",  // -XX:-TieredCompilation: C2 alone
      "false, false, 4, true,  false, true",   // -Xint
      "true,  true,  4, false, false, true",   // C2 but a CPU without AES: plain Java again
      "true,  true,  1, true,  true,  false",  // -Djdk.tls.server.cipherSuites set: the operator's order stays
  })
  void chachaFirstExactlyWhenAesGcmIsPlainJava(boolean compiler, boolean tiered, int stopAt, boolean aesNi,
                                               boolean operatorChose, boolean expected) {
    assertThat(ServerCipherSuites.chachaFirst(new CompilerProbe(compiler, tiered, stopAt, aesNi), operatorChose))
        .isEqualTo(expected);
  }

  @Test
  void movesTheChaChaSuitesFrontKeepingTheRestInOrder() {
    assertThat(ServerCipherSuites.chachaFirst(new String[] {"TLS_AES_256_GCM_SHA384", "TLS_AES_128_GCM_SHA256",
        CHACHA, "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256"}))
        .containsExactly(CHACHA, "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256", "TLS_AES_256_GCM_SHA384",
            "TLS_AES_128_GCM_SHA256", "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384");
  }

  @Test
  void theServersOrderDecidesForTheJdkClientAndForGosOrder(@TempDir Path dir) throws Exception {
    Pki pki = Pki.loadOrCreate(dir, List.of());
    SSLContext server = pki.serverSslContext();
    SSLContext client = Pki.clientSslContext(pki.caCertificate());

    assertThat(handshake(ServerCipherSuites.serverEngine(server, true), client, null)).isEqualTo(CHACHA);
    assertThat(handshake(ServerCipherSuites.serverEngine(server, true), client, GO_ORDER)).isEqualTo(CHACHA);
    // left alone, JSSE's own first choice, whatever the client prefers
    assertThat(handshake(ServerCipherSuites.serverEngine(server, false), client, null))
        .isEqualTo("TLS_AES_256_GCM_SHA384");
    assertThat(handshake(ServerCipherSuites.serverEngine(server, false), client, GO_ORDER))
        .isEqualTo("TLS_AES_256_GCM_SHA384");
  }

  @Test
  void aClientWithoutChaChaStillConnects(@TempDir Path dir) throws Exception {
    Pki pki = Pki.loadOrCreate(dir, List.of());
    assertThat(handshake(ServerCipherSuites.serverEngine(pki.serverSslContext(), true),
        Pki.clientSslContext(pki.caCertificate()), new String[] {"TLS_AES_128_GCM_SHA256"}))
        .isEqualTo("TLS_AES_128_GCM_SHA256");
  }

  /** A TLS handshake between two engines in memory; the suite it agreed on. */
  private static String handshake(SSLEngine server, SSLContext clientContext, String[] offered) throws SSLException {
    SSLEngine client = clientContext.createSSLEngine("localhost", 443);
    client.setUseClientMode(true);
    SSLParameters parameters = client.getSSLParameters();
    parameters.setEndpointIdentificationAlgorithm("HTTPS");
    if (offered != null) {
      parameters.setCipherSuites(offered);
    }
    client.setSSLParameters(parameters);
    int size = Math.max(client.getSession().getPacketBufferSize(), server.getSession().getPacketBufferSize());
    ByteBuffer toServer = ByteBuffer.allocate(size);
    ByteBuffer toClient = ByteBuffer.allocate(size);
    ByteBuffer appIn = ByteBuffer.allocate(client.getSession().getApplicationBufferSize() + 1024);
    ByteBuffer empty = ByteBuffer.allocate(0);
    client.beginHandshake();
    server.beginHandshake();
    for (int step = 0; step < 200 && !(done(client) && done(server)); step++) {
      advance(client, empty, toServer, toClient, appIn);
      advance(server, empty, toClient, toServer, appIn);
    }
    assertThat(done(client) && done(server)).as("handshake finished").isTrue();
    assertThat(server.getSession().getCipherSuite()).isEqualTo(client.getSession().getCipherSuite());
    return client.getSession().getCipherSuite();
  }

  private static boolean done(SSLEngine engine) {
    HandshakeStatus status = engine.getHandshakeStatus();
    return status == HandshakeStatus.NOT_HANDSHAKING || status == HandshakeStatus.FINISHED;
  }

  /** One engine's turn: run its tasks, write what it has to send, read what the other side sent. */
  private static void advance(SSLEngine engine, ByteBuffer empty, ByteBuffer out, ByteBuffer in, ByteBuffer appIn)
      throws SSLException {
    for (int i = 0; i < 10; i++) {
      HandshakeStatus status = engine.getHandshakeStatus();
      if (status == HandshakeStatus.NEED_TASK) {
        Runnable task;
        while ((task = engine.getDelegatedTask()) != null) {
          task.run();
        }
      } else if (status == HandshakeStatus.NEED_WRAP) {
        engine.wrap(empty, out);
      } else if (status == HandshakeStatus.NEED_UNWRAP || status == HandshakeStatus.NEED_UNWRAP_AGAIN) {
        in.flip();
        engine.unwrap(in, appIn);
        in.compact();
        if (engine.getHandshakeStatus() == HandshakeStatus.NEED_UNWRAP && in.position() == 0) {
          return;
        }
      } else {
        return;
      }
    }
  }
}
