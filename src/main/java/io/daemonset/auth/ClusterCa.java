package io.daemonset.auth;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.PKCSException;

/**
 * The cluster's CA as the API server uses it towards node agents, as kube-apiserver and kubelet use theirs: it signs
 * each agent's serving certificate (CN {@code system:node:NAME}, O {@code system:nodes}, serverAuth, the node's
 * addresses as SANs) from the agent's certificate signing request, and the API server's own client certificate for
 * agents ({@value #KUBELET_CLIENT_CN}, O system:masters, clientAuth; upstream's {@code apiserver-kubelet-client}),
 * kept as PEM in the data directory and re-issued when due. The CA is the data directory's {@code ca.crt}/{@code ca.key}
 * (the one kubeconfigs trust); with the operator's own serving certificate ({@code --tls-cert-file}) there is no
 * such CA key, so one of its own is made for the agents ({@value #OWN_CA_CRT}). Agents learn the CA in the answer to
 * their request, over the API connection they already trust.
 */
public final class ClusterCa {
  /** The subject CN of the API server's client certificate, the only client an agent's endpoints accept. */
  public static final String KUBELET_CLIENT_CN = "kube-apiserver-kubelet-client";
  static final String CLIENT_CRT = "apiserver-kubelet-client.crt";
  static final String CLIENT_KEY = "apiserver-kubelet-client.key";
  static final String OWN_CA_CRT = "agent-ca.crt";
  static final String OWN_CA_KEY = "agent-ca.key";
  /** At most this many names in one serving certificate (an agent asks for its node IP and advertised host). */
  public static final int MAX_SANS = 16;
  static final Duration SERVING_VALIDITY = Duration.ofDays(365);
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final char[] NO_PASSWORD = new char[0];

  private final Path dataDir;
  private final X509Certificate ca;
  private final PrivateKey caKey;

  private ClusterCa(Path dataDir, X509Certificate ca, PrivateKey caKey) {
    this.dataDir = dataDir;
    this.ca = ca;
    this.caKey = caKey;
  }

  /** The data dir's CA (ca.crt, ca.key) if both are there, else the agents' own (created when missing). */
  public static ClusterCa loadOrCreate(Path dataDir) {
    try {
      return DataDirLock.locked(dataDir, () -> {
        try {
          if (Files.exists(dataDir.resolve(Pki.CA_CRT)) && Files.exists(dataDir.resolve(Pki.CA_KEY))) {
            return new ClusterCa(dataDir, Pki.readCertificate(dataDir.resolve(Pki.CA_CRT)),
                Pki.readPrivateKey(dataDir.resolve(Pki.CA_KEY)));
          }
          if (Files.exists(dataDir.resolve(OWN_CA_CRT)) && Files.exists(dataDir.resolve(OWN_CA_KEY))) {
            return new ClusterCa(dataDir, Pki.readCertificate(dataDir.resolve(OWN_CA_CRT)),
                Pki.readPrivateKey(dataDir.resolve(OWN_CA_KEY)));
          }
          KeyPair keys = Pki.newKeyPair();
          X509Certificate ca = Pki.selfSignedCa(keys, "daemonset-agent-ca");
          Pki.writePem(dataDir.resolve(OWN_CA_KEY), new JcaPKCS8Generator(keys.getPrivate(), null), true);
          Pki.writePem(dataDir.resolve(OWN_CA_CRT), ca, false);
          return new ClusterCa(dataDir, ca, keys.getPrivate());
        } catch (GeneralSecurityException | OperatorCreationException e) {
          throw new IOException(e);
        }
      });
    } catch (IOException e) {
      throw new UncheckedIOException("cannot load or create the cluster CA in " + dataDir, e);
    }
  }

  public X509Certificate certificate() {
    return ca;
  }

  public String caPem() {
    return Pki.toPem(ca);
  }

  /**
   * A serving certificate for nodeName's agent: the public key of the PEM certificate signing request (whose
   * signature proves the agent holds the private key), the given DNS names and IP addresses as SANs.
   *
   * @throws IllegalArgumentException saying what is wrong with the request
   */
  public String issueServing(String csrPem, String nodeName, List<String> sans) {
    if (sans.isEmpty() || sans.size() > MAX_SANS) {
      throw new IllegalArgumentException("addresses: want 1 to " + MAX_SANS + " DNS names or IP addresses");
    }
    PublicKey key = verifiedKey(csrPem);
    try {
      Instant now = Instant.now();
      JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
      List<GeneralName> names = new ArrayList<>();
      for (String san : sans) {
        if (san == null || san.isBlank() || !san.matches("[0-9A-Za-z.:\\-\\[\\]%]+")) {
          throw new IllegalArgumentException("addresses: " + san + " is no DNS name or IP address");
        }
        names.add(Pki.looksLikeIpLiteral(san) ? new GeneralName(GeneralName.iPAddress, san)
            : new GeneralName(GeneralName.dNSName, san));
      }
      X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(ca, Pki.serial(),
          Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(SERVING_VALIDITY)),
          new X500Name("CN=" + Identity.NODE_USER_PREFIX + nodeName + ",O=" + Identity.NODES), key)
          .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
          .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment))
          .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth))
          .addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names.toArray(GeneralName[]::new)))
          .addExtension(Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(ca.getPublicKey()));
      return Pki.toPem(Pki.sign(builder, caKey));
    } catch (GeneralSecurityException | OperatorCreationException | IOException e) {
      throw new IllegalStateException("cannot issue a serving certificate for node " + nodeName, e);
    }
  }

  private static PublicKey verifiedKey(String csrPem) {
    try (PEMParser parser = new PEMParser(new StringReader(csrPem == null ? "" : csrPem))) {
      Object object = parser.readObject();
      if (!(object instanceof PKCS10CertificationRequest csr)) {
        throw new IllegalArgumentException("csr: want a PEM CERTIFICATE REQUEST");
      }
      PublicKey key = new org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequest(csr).getPublicKey();
      if (!csr.isSignatureValid(new JcaContentVerifierProviderBuilder().build(key))) {
        throw new IllegalArgumentException("csr: its signature does not verify");
      }
      return key;
    } catch (IOException | GeneralSecurityException | OperatorCreationException | PKCSException
             | RuntimeException e) {
      if (e instanceof IllegalArgumentException bad) {
        throw bad;
      }
      throw new IllegalArgumentException("csr: cannot read it: " + e.getMessage());
    }
  }

  /**
   * For the API server's connections to agents: presents the client certificate (issued now if missing, not from this
   * CA, or due for renewal) and trusts only this CA, so an agent's serving certificate is checked against it (with
   * the endpoint's host name, by the caller's endpoint identification).
   */
  public SSLContext kubeletClientContext() {
    try {
      Material client = DataDirLock.locked(dataDir, this::loadOrIssueClient);
      KeyStore keys = KeyStore.getInstance("PKCS12");
      keys.load(null, null);
      keys.setKeyEntry("client", client.key(), NO_PASSWORD, new java.security.cert.Certificate[] {client.cert(), ca});
      KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(keys, NO_PASSWORD);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(kmf.getKeyManagers(), trustOnly(ca).getTrustManagers(), RANDOM);
      return context;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot load or issue " + dataDir.resolve(CLIENT_CRT), e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot build the API server's client TLS context", e);
    }
  }

  /** A trust manager factory trusting exactly ca. */
  public static TrustManagerFactory trustOnly(X509Certificate ca) {
    try {
      KeyStore trust = KeyStore.getInstance("PKCS12");
      trust.load(null, null);
      trust.setCertificateEntry("ca", ca);
      TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(trust);
      return tmf;
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("cannot build a trust manager", e);
    }
  }

  private record Material(X509Certificate cert, PrivateKey key) {}

  private Material loadOrIssueClient() throws IOException {
    Path crt = dataDir.resolve(CLIENT_CRT);
    Path keyFile = dataDir.resolve(CLIENT_KEY);
    try {
      if (Files.exists(crt) && Files.exists(keyFile)) {
        X509Certificate existing = Pki.readCertificate(crt);
        if (Pki.signedBy(existing, ca) && !Pki.dueForRenewal(existing)) {
          return new Material(existing, Pki.readPrivateKey(keyFile));
        }
      }
      KeyPair keys = Pki.newKeyPair();
      Instant now = Instant.now();
      JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
      X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(ca, Pki.serial(),
          Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(SERVING_VALIDITY)),
          new X500Name("CN=" + KUBELET_CLIENT_CN + ",O=" + Identity.MASTERS), keys.getPublic())
          .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
          .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment))
          .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_clientAuth))
          .addExtension(Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(ca.getPublicKey()));
      X509Certificate issued = Pki.sign(builder, caKey);
      Pki.writePem(keyFile, new JcaPKCS8Generator(keys.getPrivate(), null), true);
      Pki.writePem(crt, issued, false);
      return new Material(issued, keys.getPrivate());
    } catch (GeneralSecurityException | OperatorCreationException e) {
      throw new IOException(e);
    }
  }
}
