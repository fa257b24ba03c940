package io.daemonset.auth;

import java.io.IOException;
import java.io.StringReader;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Optional;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.X509TrustManager;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;

/**
 * A node agent's TLS identity for its own endpoints (logs, stats, exec), as kubelet's on its authenticated port: a key
 * made here that never leaves the process, a serving certificate the cluster CA issues for it ({@link ClusterCa}) and
 * that CA as the only trust anchor for clients, who must present the API server's client certificate
 * ({@value ClusterCa#KUBELET_CLIENT_CN}). Until a certificate is installed every handshake fails, so the endpoints
 * can listen (and be announced) before the agent has registered. A renewed certificate is served from the next
 * handshake on.
 */
public final class AgentTls {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final String ALIAS = "agent";

  /** The certificate served and the CA clients must chain to; the CA's trust manager built once. */
  private record Installed(X509Certificate cert, X509Certificate ca, X509ExtendedTrustManager trust) {}

  private final KeyPair keys;
  private volatile Installed installed;

  public AgentTls() {
    try {
      this.keys = Pki.newKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot make the agent's key", e);
    }
  }

  /** A PEM certificate signing request for this agent's key, subject system:node:NAME in system:nodes. */
  public String csrPem(String nodeName) {
    try {
      var csr = new JcaPKCS10CertificationRequestBuilder(
          new X500Name("CN=" + Identity.NODE_USER_PREFIX + nodeName + ",O=" + Identity.NODES), keys.getPublic())
          .build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate()));
      return Pki.toPem(csr);
    } catch (OperatorCreationException e) {
      throw new IllegalStateException("cannot sign a certificate request", e);
    }
  }

  /**
   * Serves certPem from now on, trusting clients of caPem. The certificate must be for this agent's key and signed
   * by that CA.
   */
  public void install(String certPem, String caPem) {
    X509Certificate cert = certificate(certPem);
    X509Certificate ca = certificate(caPem);
    if (!cert.getPublicKey().equals(keys.getPublic())) {
      throw new IllegalArgumentException("the issued certificate is not for this agent's key");
    }
    if (!Pki.signedBy(cert, ca)) {
      throw new IllegalArgumentException("the issued certificate is not signed by the CA that came with it");
    }
    installed = new Installed(cert, ca, extended(ClusterCa.trustOnly(ca).getTrustManagers()));
  }

  /** When the certificate served expires; empty before one is installed. */
  public Optional<Instant> expiry() {
    Installed now = installed;
    return now == null ? Optional.empty() : Optional.of(now.cert().getNotAfter().toInstant());
  }

  /** For the agent's listeners: serve the installed certificate, require the API server's client certificate. */
  public SSLContext serverContext() {
    try {
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(new KeyManager[] {new Keys()}, new TrustManager[] {new ApiServerOnly()}, RANDOM);
      return context;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot build the agent's TLS context", e);
    }
  }

  private static X509Certificate certificate(String pem) {
    try (PEMParser parser = new PEMParser(new StringReader(pem == null ? "" : pem))) {
      if (parser.readObject() instanceof X509CertificateHolder holder) {
        return new JcaX509CertificateConverter().getCertificate(holder);
      }
      throw new IllegalArgumentException("want a PEM certificate");
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalArgumentException("cannot read a PEM certificate: " + e.getMessage(), e);
    }
  }

  private static X509ExtendedTrustManager extended(TrustManager[] managers) {
    for (TrustManager m : managers) {
      if (m instanceof X509ExtendedTrustManager x) {
        return x;
      }
    }
    throw new IllegalStateException("no X509 trust manager");
  }

  /** The subject's CN, or "". */
  static String commonName(X509Certificate cert) {
    try {
      for (Rdn rdn : new LdapName(cert.getSubjectX500Principal().getName()).getRdns()) {
        if (rdn.getType().equalsIgnoreCase("CN")) {
          return String.valueOf(rdn.getValue());
        }
      }
    } catch (InvalidNameException e) {
      return "";
    }
    return "";
  }

  /** The installed certificate, or none (the handshake then fails: no certificate yet). */
  private final class Keys extends X509ExtendedKeyManager {
    private String alias(String keyType) {
      return installed != null && keys.getPrivate().getAlgorithm().equals(keyType) ? ALIAS : null;
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
      String alias = alias(keyType);
      return alias == null ? null : new String[] {alias};
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
      return alias(keyType);
    }

    @Override
    public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
      return alias(keyType);
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
      Installed now = installed;
      return now == null ? null : new X509Certificate[] {now.cert(), now.ca()};
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
      return installed == null ? null : keys.getPrivate();
    }

    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
      return null;
    }

    @Override
    public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
      return null;
    }
  }

  /** Clients chaining to the cluster CA with the API server's client certificate; nobody before a CA is known. */
  private final class ApiServerOnly extends X509ExtendedTrustManager {
    private X509ExtendedTrustManager current() throws CertificateException {
      Installed now = installed;
      if (now == null) {
        throw new CertificateException("this agent has no certificate from the cluster CA yet");
      }
      return now.trust();
    }

    private static void apiServer(X509Certificate[] chain) throws CertificateException {
      String cn = chain == null || chain.length == 0 ? "" : commonName(chain[0]);
      if (!ClusterCa.KUBELET_CLIENT_CN.equals(cn)) {
        throw new CertificateException("client " + cn + " is not the API server (" + ClusterCa.KUBELET_CLIENT_CN
            + ")");
      }
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
        throws CertificateException {
      current().checkClientTrusted(chain, authType, socket);
      apiServer(chain);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
        throws CertificateException {
      current().checkClientTrusted(chain, authType, engine);
      apiServer(chain);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
      ((X509TrustManager) current()).checkClientTrusted(chain, authType);
      apiServer(chain);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
        throws CertificateException {
      throw new CertificateException("the agent's endpoints verify clients only");
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
        throws CertificateException {
      throw new CertificateException("the agent's endpoints verify clients only");
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
      throw new CertificateException("the agent's endpoints verify clients only");
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      Installed now = installed;
      return now == null ? new X509Certificate[0] : new X509Certificate[] {now.ca()};
    }
  }
}
