package io.daemonset.agent;

import com.fasterxml.jackson.databind.JsonNode;
import io.daemonset.auth.Pki;
import io.daemonset.model.Json;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Base64;
import javax.net.ssl.SSLContext;

/**
 * Where the API is and how to talk to it: the server URL, a TLS context trusting the cluster CA (null for plain
 * http), and the bearer token. Built from the agent's flags or from a kubeconfig file.
 */
public record ApiTarget(URI server, SSLContext sslContext, String token) {

  public ApiTarget {
    if (server == null) {
      throw new IllegalArgumentException("no API server URL");
    }
    String scheme = server.getScheme();
    if (!"https".equals(scheme) && !"http".equals(scheme)) {
      throw new IllegalArgumentException("the API server URL must be http(s)://host:port, not " + server);
    }
    if ("https".equals(scheme) && sslContext == null) {
      throw new IllegalArgumentException("an https API server needs a CA (--ca-file or certificate-authority-data)");
    }
  }

  /** For a server in this JVM: its URL, its CA certificate (null for plain http) and a token. */
  public static ApiTarget of(String server, X509Certificate ca, String token) {
    return new ApiTarget(URI.create(trimSlash(server)), ca == null ? null : Pki.clientSslContext(ca), token);
  }

  /** From --server, --ca-file (may be null for http://) and --token-file. */
  public static ApiTarget fromFiles(String server, Path caFile, Path tokenFile) {
    URI uri = URI.create(trimSlash(server));
    SSLContext ssl = caFile == null ? null : Pki.clientSslContext(caFile);
    String token = null;
    if (tokenFile != null) {
      try {
        token = Files.readString(tokenFile, StandardCharsets.UTF_8).trim();
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read the token file " + tokenFile, e);
      }
    }
    return new ApiTarget(uri, ssl, token);
  }

  /**
   * From a kubeconfig: the given context (null: current-context, or the only context), its cluster's server and
   * certificate-authority-data (or certificate-authority, a file relative to the kubeconfig), its user's token
   * (or tokenFile).
   */
  public static ApiTarget fromKubeconfig(Path kubeconfig, String contextName) {
    try {
      String yaml = Files.readString(kubeconfig, StandardCharsets.UTF_8);
      return parseKubeconfig(yaml, kubeconfig.toAbsolutePath().getParent(), contextName);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the kubeconfig " + kubeconfig, e);
    }
  }

  /** Parses kubeconfig YAML; baseDir resolves relative file references (may be null). */
  public static ApiTarget parseKubeconfig(String yaml, Path baseDir, String contextName) {
    JsonNode root;
    try {
      root = Json.yamlMapper().readTree(yaml);
    } catch (IOException e) {
      throw new IllegalArgumentException("the kubeconfig is not valid YAML: " + e.getMessage(), e);
    }
    if (root == null || !root.isObject()) {
      throw new IllegalArgumentException("the kubeconfig is empty");
    }
    String wanted = contextName != null ? contextName : text(root.get("current-context"));
    JsonNode contexts = root.path("contexts");
    if (wanted == null && contexts.size() == 1) {
      wanted = text(contexts.get(0).get("name"));
    }
    if (wanted == null) {
      throw new IllegalArgumentException("the kubeconfig has no current-context; name one");
    }
    JsonNode context = named(contexts, wanted, "context", "context");
    JsonNode cluster = named(root.path("clusters"), text(context.get("cluster")), "cluster", "cluster");
    JsonNode user = context.hasNonNull("user")
        ? named(root.path("users"), text(context.get("user")), "user", "user") : null;

    String server = text(cluster.get("server"));
    if (server == null) {
      throw new IllegalArgumentException("cluster \"" + text(context.get("cluster")) + "\" has no server");
    }
    SSLContext ssl = null;
    String caData = text(cluster.get("certificate-authority-data"));
    String caFile = text(cluster.get("certificate-authority"));
    if (caData != null) {
      ssl = Pki.clientSslContext(certificate(Base64.getMimeDecoder().decode(caData)));
    } else if (caFile != null) {
      ssl = Pki.clientSslContext(resolve(baseDir, caFile));
    }
    String token = null;
    if (user != null) {
      token = text(user.get("token"));
      String tokenFile = text(user.get("tokenFile"));
      if (token == null && tokenFile != null) {
        try {
          token = Files.readString(resolve(baseDir, tokenFile), StandardCharsets.UTF_8).trim();
        } catch (IOException e) {
          throw new UncheckedIOException("cannot read tokenFile " + tokenFile, e);
        }
      }
    }
    return new ApiTarget(URI.create(trimSlash(server)), ssl, token);
  }

  /** The URL of an API path (which starts with /) plus an optional query (without '?'). */
  public URI resolve(String path, String query) {
    String base = server.toString();
    return URI.create(base + path + (query == null || query.isEmpty() ? "" : "?" + query));
  }

  private static JsonNode named(JsonNode list, String name, String field, String what) {
    if (name != null) {
      for (JsonNode entry : list) {
        if (name.equals(text(entry.get("name")))) {
          JsonNode value = entry.get(field);
          if (value == null || !value.isObject()) {
            throw new IllegalArgumentException(what + " \"" + name + "\" has no " + field);
          }
          return value;
        }
      }
    }
    throw new IllegalArgumentException("the kubeconfig has no " + what + " \"" + name + "\"");
  }

  private static X509Certificate certificate(byte[] pem) {
    try {
      return (X509Certificate) CertificateFactory.getInstance("X.509")
          .generateCertificate(new ByteArrayInputStream(pem));
    } catch (CertificateException e) {
      throw new IllegalArgumentException("certificate-authority-data is not a PEM certificate", e);
    }
  }

  private static Path resolve(Path baseDir, String file) {
    Path p = Path.of(file);
    return p.isAbsolute() || baseDir == null ? p : baseDir.resolve(p);
  }

  private static String text(JsonNode node) {
    return node == null || node.isNull() ? null : node.asText();
  }

  private static String trimSlash(String url) {
    String u = url.trim();
    while (u.endsWith("/")) {
      u = u.substring(0, u.length() - 1);
    }
    return u;
  }
}
