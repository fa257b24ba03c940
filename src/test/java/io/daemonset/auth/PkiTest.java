package io.daemonset.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PkiTest {

  @Test
  void createsCaAndServingCertificateOnceAndReusesThem(@TempDir Path dir) throws Exception {
    Pki first = Pki.loadOrCreate(dir, List.of());
    for (String f : List.of(Pki.CA_CRT, Pki.CA_KEY, Pki.SERVER_CRT, Pki.SERVER_KEY)) {
      assertThat(dir.resolve(f)).exists();
    }
    assertThat(Files.getPosixFilePermissions(dir.resolve(Pki.CA_KEY)))
        .isEqualTo(PosixFilePermissions.fromString("rw-------"));
    assertThat(Files.readString(dir.resolve(Pki.CA_CRT))).startsWith("-----BEGIN CERTIFICATE-----");
    assertThat(Files.readString(dir.resolve(Pki.SERVER_KEY))).startsWith("-----BEGIN PRIVATE KEY-----");

    X509Certificate ca = first.caCertificate();
    X509Certificate server = first.serverCertificate();
    assertThat(ca.getBasicConstraints()).isGreaterThanOrEqualTo(0);
    assertThat(ca.getNotAfter().toInstant()).isAfter(Instant.now().plus(Duration.ofDays(3640)));
    server.verify(ca.getPublicKey());
    assertThat(server.getBasicConstraints()).isEqualTo(-1);
    assertThat(server.getExtendedKeyUsage()).contains("1.3.6.1.5.5.7.3.1");
    assertThat(Pki.subjectAltNames(server)).contains("127.0.0.1", "0:0:0:0:0:0:0:1", "localhost");
    assertThat(server.getSerialNumber().signum()).isPositive();

    Pki second = Pki.loadOrCreate(dir, List.of());
    assertThat(second.caCertificate()).isEqualTo(ca);
    assertThat(second.serverCertificate()).isEqualTo(server);
    assertThat(second.serverSslContext()).isNotNull();
  }

  @Test
  void reissuesTheServingCertificateFromTheSameCaForNewSans(@TempDir Path dir) throws Exception {
    Pki first = Pki.loadOrCreate(dir, List.of());
    Pki more = Pki.loadOrCreate(dir, List.of("api.example.org", "10.1.2.3"));
    assertThat(more.caCertificate()).isEqualTo(first.caCertificate());
    assertThat(more.serverCertificate()).isNotEqualTo(first.serverCertificate());
    assertThat(Pki.subjectAltNames(more.serverCertificate())).contains("api.example.org", "10.1.2.3", "localhost");
    more.serverCertificate().verify(first.caCertificate().getPublicKey());
    assertThat(Pki.loadOrCreate(dir, List.of("10.1.2.3")).serverCertificate())
        .isEqualTo(more.serverCertificate());
  }

  @Test
  void clientContextTrustsTheCaFile(@TempDir Path dir) {
    Pki.loadOrCreate(dir, List.of());
    assertThat(Pki.clientSslContext(dir.resolve(Pki.CA_CRT)).getProtocol()).isEqualTo("TLS");
  }
}
