package io.daemonset.auth;

import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
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
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The API server's certificates: a self-made CA (EC P-256, 10 years) and a serving certificate it signs
 * (SANs 127.0.0.1, ::1, localhost and any extra names), kept as PEM in the data directory and reused on later
 * starts. The serving certificate is re-issued from the same CA when it lacks a requested SAN or expires within
 * 30 days, so kubeconfigs that trust ca.crt keep working.
 */
public final class Pki {
  public static final String CA_CRT = "ca.crt";
  public static final String CA_KEY = "ca.key";
  public static final String SERVER_CRT = "apiserver.crt";
  public static final String SERVER_KEY = "apiserver.key";

  static final List<String> DEFAULT_SANS = List.of("127.0.0.1", "::1", "localhost");
  private static final Duration CA_VALIDITY = Duration.ofDays(3650);
  private static final Duration SERVER_VALIDITY = Duration.ofDays(365);
  private static final Duration RENEW_BEFORE = Duration.ofDays(30);
  private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final char[] NO_PASSWORD = new char[0];

  private final X509Certificate caCertificate;
  private final X509Certificate serverCertificate;
  private final PrivateKey serverKey;

  private Pki(X509Certificate caCertificate, X509Certificate serverCertificate, PrivateKey serverKey) {
    this.caCertificate = caCertificate;
    this.serverCertificate = serverCertificate;
    this.serverKey = serverKey;
  }

  /** Loads the PEM files from dataDir, creating (or re-issuing) what is missing. */
  public static Pki loadOrCreate(Path dataDir, Collection<String> extraSans) {
    try {
      Files.createDirectories(dataDir);
      KeyPair caKeys;
      X509Certificate ca;
      if (Files.exists(dataDir.resolve(CA_CRT)) && Files.exists(dataDir.resolve(CA_KEY))) {
        ca = readCertificate(dataDir.resolve(CA_CRT));
        caKeys = new KeyPair(ca.getPublicKey(), readPrivateKey(dataDir.resolve(CA_KEY)));
      } else {
        caKeys = newKeyPair();
        ca = selfSignedCa(caKeys, "daemonset-ca");
        writePem(dataDir.resolve(CA_KEY), new JcaPKCS8Generator(caKeys.getPrivate(), null), true);
        writePem(dataDir.resolve(CA_CRT), ca, false);
        Files.deleteIfExists(dataDir.resolve(SERVER_CRT));
      }
      Set<String> sans = new LinkedHashSet<>(DEFAULT_SANS);
      extraSans.stream().map(String::trim).filter(s -> !s.isEmpty()).forEach(sans::add);
      Path crtPath = dataDir.resolve(SERVER_CRT);
      Path keyPath = dataDir.resolve(SERVER_KEY);
      if (Files.exists(crtPath) && Files.exists(keyPath)) {
        X509Certificate existing = readCertificate(crtPath);
        if (isUsable(existing, ca, sans)) {
          return new Pki(ca, existing, readPrivateKey(keyPath));
        }
      }
      KeyPair serverKeys = newKeyPair();
      X509Certificate server = serving(caKeys, ca, serverKeys.getPublic(), "daemonset-apiserver", List.copyOf(sans));
      writePem(keyPath, new JcaPKCS8Generator(serverKeys.getPrivate(), null), true);
      writePem(crtPath, server, false);
      return new Pki(ca, server, serverKeys.getPrivate());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (GeneralSecurityException | OperatorCreationException e) {
      throw new IllegalStateException("cannot create certificates in " + dataDir, e);
    }
  }

  public X509Certificate caCertificate() {
    return caCertificate;
  }

  public X509Certificate serverCertificate() {
    return serverCertificate;
  }

  /** ca.crt as PEM text (what kubeconfig's certificate-authority-data carries, base64-encoded). */
  public String caPem() {
    return toPem(caCertificate);
  }

  /** For ConnectionContext.httpsServer: presents apiserver.crt with its CA as the chain. */
  public SSLContext serverSslContext() {
    try {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      store.setKeyEntry("apiserver", serverKey, NO_PASSWORD, new Certificate[] {serverCertificate, caCertificate});
      KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(store, NO_PASSWORD);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(kmf.getKeyManagers(), null, RANDOM);
      return context;
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("cannot build the server TLS context", e);
    }
  }

  /** A client SSLContext that trusts exactly the CA in caCrt (for node agents and tests). */
  public static SSLContext clientSslContext(Path caCrt) {
    try {
      return clientSslContext(readCertificate(caCrt));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot read " + caCrt, e);
    }
  }

  public static SSLContext clientSslContext(X509Certificate ca) {
    try {
      KeyStore trust = KeyStore.getInstance("PKCS12");
      trust.load(null, null);
      trust.setCertificateEntry("ca", ca);
      TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(trust);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, tmf.getTrustManagers(), RANDOM);
      return context;
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("cannot build a client TLS context", e);
    }
  }

  /** The DNS names and IP addresses in a certificate's subjectAltName, IPs normalised. */
  public static Set<String> subjectAltNames(X509Certificate certificate) {
    Set<String> names = new LinkedHashSet<>();
    try {
      Collection<List<?>> entries = certificate.getSubjectAlternativeNames();
      if (entries != null) {
        for (List<?> entry : entries) {
          int type = (Integer) entry.get(0);
          String value = String.valueOf(entry.get(1));
          if (type == GeneralName.iPAddress) {
            names.add(normaliseIp(value));
          } else if (type == GeneralName.dNSName) {
            names.add(value.toLowerCase(Locale.ROOT));
          }
        }
      }
    } catch (CertificateParsingException e) {
      throw new IllegalStateException(e);
    }
    return names;
  }

  public static boolean looksLikeIpLiteral(String value) {
    return IPV4.matcher(value).matches() || (value.contains(":") && value.matches("[0-9a-fA-F:.%]+"));
  }

  private static boolean isUsable(X509Certificate server, X509Certificate ca, Set<String> wantedSans) {
    try {
      server.verify(ca.getPublicKey());
    } catch (GeneralSecurityException e) {
      return false;
    }
    if (server.getNotAfter().toInstant().isBefore(Instant.now().plus(RENEW_BEFORE))) {
      return false;
    }
    Set<String> have = subjectAltNames(server);
    for (String san : wantedSans) {
      String key = looksLikeIpLiteral(san) ? normaliseIp(san) : san.toLowerCase(Locale.ROOT);
      if (!have.contains(key)) {
        return false;
      }
    }
    return true;
  }

  private static String normaliseIp(String ip) {
    try {
      return InetAddress.getByName(ip).getHostAddress();
    } catch (IOException e) {
      return ip;
    }
  }

  private static KeyPair newKeyPair() throws GeneralSecurityException {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
    return generator.generateKeyPair();
  }

  private static X509Certificate selfSignedCa(KeyPair keys, String commonName)
      throws GeneralSecurityException, OperatorCreationException, IOException {
    X500Name name = new X500Name("CN=" + commonName);
    Instant now = Instant.now();
    JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
    X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name, serial(),
        Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(CA_VALIDITY)), name, keys.getPublic())
        .addExtension(Extension.basicConstraints, true, new BasicConstraints(true))
        .addExtension(Extension.keyUsage, true,
            new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign | KeyUsage.digitalSignature))
        .addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(keys.getPublic()));
    return sign(builder, keys.getPrivate());
  }

  private static X509Certificate serving(KeyPair caKeys, X509Certificate ca, java.security.PublicKey key,
                                         String commonName, List<String> sans)
      throws GeneralSecurityException, OperatorCreationException, IOException {
    Instant now = Instant.now();
    JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
    List<GeneralName> names = new ArrayList<>();
    for (String san : sans) {
      names.add(looksLikeIpLiteral(san) ? new GeneralName(GeneralName.iPAddress, san)
          : new GeneralName(GeneralName.dNSName, san));
    }
    X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(ca, serial(),
        Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(SERVER_VALIDITY)),
        new X500Name("CN=" + commonName), key)
        .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
        .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment))
        .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth))
        .addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names.toArray(GeneralName[]::new)))
        .addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(key))
        .addExtension(Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(caKeys.getPublic()));
    return sign(builder, caKeys.getPrivate());
  }

  private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey signer)
      throws OperatorCreationException, GeneralSecurityException {
    ContentSigner contentSigner = new JcaContentSignerBuilder("SHA256withECDSA").build(signer);
    X509CertificateHolder holder = builder.build(contentSigner);
    return new JcaX509CertificateConverter().getCertificate(holder);
  }

  /** Positive and random, as Go's x509 expects. */
  private static BigInteger serial() {
    return new BigInteger(126, RANDOM).add(BigInteger.ONE);
  }

  static X509Certificate readCertificate(Path path) throws IOException, GeneralSecurityException {
    try (Reader reader = Files.newBufferedReader(path, StandardCharsets.US_ASCII);
         PEMParser parser = new PEMParser(reader)) {
      Object object = parser.readObject();
      if (!(object instanceof X509CertificateHolder holder)) {
        throw new IOException(path + " holds no PEM certificate");
      }
      return new JcaX509CertificateConverter().getCertificate(holder);
    }
  }

  static PrivateKey readPrivateKey(Path path) throws IOException {
    try (Reader reader = Files.newBufferedReader(path, StandardCharsets.US_ASCII);
         PEMParser parser = new PEMParser(reader)) {
      Object object = parser.readObject();
      JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
      if (object instanceof PrivateKeyInfo info) {
        return converter.getPrivateKey(info);
      }
      if (object instanceof PEMKeyPair pair) {
        return converter.getKeyPair(pair).getPrivate();
      }
      throw new IOException(path + " holds no unencrypted PEM private key");
    }
  }

  static String toPem(Object object) {
    StringWriter out = new StringWriter();
    try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
      writer.writeObject(object);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }

  private static void writePem(Path path, Object object, boolean secret) throws IOException {
    if (object instanceof JcaPKCS8Generator generator) {
      StringWriter out = new StringWriter();
      try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
        writer.writeObject(generator.generate());
      }
      DataFiles.write(path, out.toString(), secret);
    } else {
      DataFiles.write(path, toPem(object), secret);
    }
  }
}
