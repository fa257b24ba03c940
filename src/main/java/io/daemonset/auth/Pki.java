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
 * 30 days ({@link #refresh()} checks while serving), so kubeconfigs that trust ca.crt keep working. Operators with
 * their own PKI give the certificate and key as files instead ({@link #fromFiles}).
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

  /** What the server presents now; swapped whole when the certificate is renewed or the operator's files change. */
  private record Material(X509Certificate ca, List<X509Certificate> chain, PrivateKey key, long filesStamp) {
    X509Certificate server() {
      return chain.get(0);
    }
  }

  /** Where the material comes from: the data dir's own CA, or the operator's files. */
  private interface Source {
    Material load() throws IOException, GeneralSecurityException, OperatorCreationException;

    /** A cheap fingerprint of the files (sizes and modification times) telling whether to load again. */
    long stamp() throws IOException;
  }

  private final Source source;
  private volatile Material material;

  private Pki(Source source, Material material) {
    this.source = source;
    this.material = material;
  }

  /**
   * Loads the PEM files from dataDir, creating (or re-issuing) what is missing. Members sharing the data dir take
   * turns ({@link DataDirLock}): the first creates the CA, the others load it. A re-issued serving certificate keeps
   * the names of the one it replaces, so members with different addresses converge on one certificate naming all.
   */
  public static Pki loadOrCreate(Path dataDir, Collection<String> extraSans) {
    return loadOrCreate(dataDir, extraSans, SERVER_VALIDITY);
  }

  static Pki loadOrCreate(Path dataDir, Collection<String> extraSans, Duration serverValidity) {
    Set<String> sans = new LinkedHashSet<>(DEFAULT_SANS);
    extraSans.stream().map(String::trim).filter(s -> !s.isEmpty()).forEach(sans::add);
    Source source = new DataDirSource(dataDir, Set.copyOf(sans), serverValidity);
    return new Pki(source, loadFrom(source, dataDir));
  }

  /**
   * The operator's own certificate ({@code --tls-cert-file}: PEM, the serving certificate first, then its chain; the
   * last certificate is the CA written into kubeconfigs) and key ({@code --tls-private-key-file}). Nothing is issued;
   * {@link #refresh()} picks up replaced files (cert-manager style rotation).
   */
  public static Pki fromFiles(Path certFile, Path keyFile) {
    Source source = new FileSource(certFile, keyFile);
    return new Pki(source, loadFrom(source, certFile));
  }

  private static Material loadFrom(Source source, Path where) {
    try {
      return source.load();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (GeneralSecurityException | OperatorCreationException e) {
      throw new IllegalStateException("cannot load or create certificates in " + where, e);
    }
  }

  /**
   * Loads again if the files changed, and renews a serving certificate that expires within 30 days (data-dir CA
   * only). New TLS handshakes present the new certificate at once. Returns whether it changed.
   */
  public boolean refresh() {
    try {
      if (source.stamp() == material.filesStamp() && !dueForRenewal(material.server())) {
        return false;
      }
      Material next = source.load();
      boolean changed = !next.server().equals(material.server());
      material = next;
      return changed;
    } catch (IOException | GeneralSecurityException | OperatorCreationException | RuntimeException e) {
      throw new IllegalStateException("cannot refresh the serving certificate: " + e.getMessage(), e);
    }
  }

  public X509Certificate caCertificate() {
    return material.ca();
  }

  public X509Certificate serverCertificate() {
    return material.server();
  }

  /** ca.crt as PEM text (what kubeconfig's certificate-authority-data carries, base64-encoded). */
  public String caPem() {
    return toPem(material.ca());
  }

  /**
   * For ConnectionContext.httpsServer: presents the serving certificate with its chain. The key manager reads the
   * current material on every handshake, so a renewal needs no new binding.
   */
  public SSLContext serverSslContext() {
    try {
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(new javax.net.ssl.KeyManager[] {new CurrentKeyManager()}, null, RANDOM);
      return context;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot build the server TLS context", e);
    }
  }

  /** Delegates to a key manager over the material of the moment, rebuilt when the material changes. */
  private final class CurrentKeyManager extends javax.net.ssl.X509ExtendedKeyManager {
    private Material builtFor;
    private javax.net.ssl.X509ExtendedKeyManager built;

    private synchronized javax.net.ssl.X509ExtendedKeyManager delegate() {
      Material now = material;
      if (now != builtFor) {
        built = keyManager(now);
        builtFor = now;
      }
      return built;
    }

    @Override
    public String[] getClientAliases(String keyType, java.security.Principal[] issuers) {
      return null;
    }

    @Override
    public String chooseClientAlias(String[] keyType, java.security.Principal[] issuers, java.net.Socket socket) {
      return null;
    }

    @Override
    public String[] getServerAliases(String keyType, java.security.Principal[] issuers) {
      return delegate().getServerAliases(keyType, issuers);
    }

    @Override
    public String chooseServerAlias(String keyType, java.security.Principal[] issuers, java.net.Socket socket) {
      return delegate().chooseServerAlias(keyType, issuers, socket);
    }

    @Override
    public String chooseEngineServerAlias(String keyType, java.security.Principal[] issuers,
                                          javax.net.ssl.SSLEngine engine) {
      return delegate().chooseEngineServerAlias(keyType, issuers, engine);
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
      return delegate().getCertificateChain(alias);
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
      return delegate().getPrivateKey(alias);
    }
  }

  private static javax.net.ssl.X509ExtendedKeyManager keyManager(Material m) {
    try {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      List<Certificate> chain = new ArrayList<>(m.chain());
      if (!chain.contains(m.ca())) {
        chain.add(m.ca());
      }
      store.setKeyEntry("apiserver", m.key(), NO_PASSWORD, chain.toArray(Certificate[]::new));
      KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(store, NO_PASSWORD);
      return (javax.net.ssl.X509ExtendedKeyManager) kmf.getKeyManagers()[0];
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("cannot build the server key manager", e);
    }
  }

  static boolean dueForRenewal(X509Certificate server) {
    return server.getNotAfter().toInstant().isBefore(Instant.now().plus(RENEW_BEFORE));
  }

  private static long stampOf(Path... files) throws IOException {
    long stamp = 17;
    for (Path file : files) {
      stamp = stamp * 31 + (Files.exists(file) ? Files.getLastModifiedTime(file).toMillis() * 7 + Files.size(file) : -1);
    }
    return stamp;
  }

  /** The data dir's own CA; creates what is missing under the data dir's lock. */
  private record DataDirSource(Path dataDir, Set<String> sans, Duration serverValidity) implements Source {
    @Override
    public long stamp() throws IOException {
      return stampOf(dataDir.resolve(CA_CRT), dataDir.resolve(SERVER_CRT), dataDir.resolve(SERVER_KEY));
    }

    @Override
    public Material load() throws IOException {
      try {
        return DataDirLock.locked(dataDir, () -> {
          try {
            return loadOrIssue();
          } catch (GeneralSecurityException | OperatorCreationException e) {
            throw new IOException(e);
          }
        });
      } catch (IOException e) {
        if (e.getCause() instanceof GeneralSecurityException || e.getCause() instanceof OperatorCreationException) {
          throw new IllegalStateException("cannot create certificates in " + dataDir, e.getCause());
        }
        throw e;
      }
    }

    private Material loadOrIssue() throws IOException, GeneralSecurityException, OperatorCreationException {
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
      Set<String> wanted = new LinkedHashSet<>(sans);
      Path crtPath = dataDir.resolve(SERVER_CRT);
      Path keyPath = dataDir.resolve(SERVER_KEY);
      if (Files.exists(crtPath) && Files.exists(keyPath)) {
        X509Certificate existing = readCertificate(crtPath);
        if (isUsable(existing, ca, wanted)) {
          return new Material(ca, List.of(existing), readPrivateKey(keyPath), stamp());
        }
        if (signedBy(existing, ca)) {
          wanted.addAll(subjectAltNames(existing));
        }
      }
      KeyPair serverKeys = newKeyPair();
      X509Certificate server = serving(caKeys, ca, serverKeys.getPublic(), "daemonset-apiserver",
          List.copyOf(wanted), serverValidity);
      writePem(keyPath, new JcaPKCS8Generator(serverKeys.getPrivate(), null), true);
      writePem(crtPath, server, false);
      return new Material(ca, List.of(server), serverKeys.getPrivate(), stamp());
    }
  }

  /** The operator's certificate and key files, read as they are. */
  private record FileSource(Path certFile, Path keyFile) implements Source {
    @Override
    public long stamp() throws IOException {
      return stampOf(certFile, keyFile);
    }

    @Override
    public Material load() throws IOException, GeneralSecurityException {
      long stamp = stamp();
      List<X509Certificate> chain = readCertificates(certFile);
      PrivateKey key = readPrivateKey(keyFile);
      if (!chain.get(0).getPublicKey().equals(publicKeyOf(key, chain.get(0)))) {
        throw new IllegalArgumentException(keyFile + " is not the private key of the first certificate in " + certFile);
      }
      return new Material(chain.get(chain.size() - 1), List.copyOf(chain), key, stamp);
    }
  }

  /** The certificate's public key when key signs for it (checked by a signature round trip), else null. */
  private static java.security.PublicKey publicKeyOf(PrivateKey key, X509Certificate certificate)
      throws GeneralSecurityException {
    String algorithm = key.getAlgorithm().equals("EC") ? "SHA256withECDSA" : "SHA256with" + key.getAlgorithm();
    java.security.Signature signer = java.security.Signature.getInstance(algorithm);
    signer.initSign(key);
    byte[] probe = "daemonset".getBytes(StandardCharsets.UTF_8);
    signer.update(probe);
    byte[] signature = signer.sign();
    java.security.Signature verifier = java.security.Signature.getInstance(algorithm);
    verifier.initVerify(certificate.getPublicKey());
    verifier.update(probe);
    return verifier.verify(signature) ? certificate.getPublicKey() : null;
  }

  static boolean signedBy(X509Certificate server, X509Certificate ca) {
    try {
      server.verify(ca.getPublicKey());
      return true;
    } catch (GeneralSecurityException e) {
      return false;
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
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, ClusterCa.trustOnly(ca).getTrustManagers(), RANDOM);
      return context;
    } catch (GeneralSecurityException e) {
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
    if (dueForRenewal(server)) {
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

  static KeyPair newKeyPair() throws GeneralSecurityException {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
    return generator.generateKeyPair();
  }

  static X509Certificate selfSignedCa(KeyPair keys, String commonName)
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
                                         String commonName, List<String> sans, Duration validity)
      throws GeneralSecurityException, OperatorCreationException, IOException {
    Instant now = Instant.now();
    JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
    List<GeneralName> names = new ArrayList<>();
    for (String san : sans) {
      names.add(looksLikeIpLiteral(san) ? new GeneralName(GeneralName.iPAddress, san)
          : new GeneralName(GeneralName.dNSName, san));
    }
    X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(ca, serial(),
        Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(validity)),
        new X500Name("CN=" + commonName), key)
        .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
        .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment))
        .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth))
        .addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names.toArray(GeneralName[]::new)))
        .addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(key))
        .addExtension(Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(caKeys.getPublic()));
    return sign(builder, caKeys.getPrivate());
  }

  static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey signer)
      throws OperatorCreationException, GeneralSecurityException {
    ContentSigner contentSigner = new JcaContentSignerBuilder("SHA256withECDSA").build(signer);
    X509CertificateHolder holder = builder.build(contentSigner);
    return new JcaX509CertificateConverter().getCertificate(holder);
  }

  /** Positive and random, as Go's x509 expects. */
  static BigInteger serial() {
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

  static List<X509Certificate> readCertificates(Path path) throws IOException, GeneralSecurityException {
    List<X509Certificate> chain = new ArrayList<>();
    try (Reader reader = Files.newBufferedReader(path, StandardCharsets.US_ASCII);
         PEMParser parser = new PEMParser(reader)) {
      for (Object object = parser.readObject(); object != null; object = parser.readObject()) {
        if (object instanceof X509CertificateHolder holder) {
          chain.add(new JcaX509CertificateConverter().getCertificate(holder));
        }
      }
    }
    if (chain.isEmpty()) {
      throw new IOException(path + " holds no PEM certificate");
    }
    return chain;
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

  static void writePem(Path path, Object object, boolean secret) throws IOException {
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
