package io.daemonset.api;

import io.daemonset.auth.Pki;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * How the API server listens. Plain HTTP is allowed only on a loopback address, and there it behaves like
 * kube-apiserver's old insecure port: kubectl never sends a bearer token over http://, so a request without a
 * token is served as {@link Identity#INSECURE_LOOPBACK} (system:masters). A token that is sent is still checked.
 *
 * @param bindHost        interface to bind ("127.0.0.1", "0.0.0.0", "::", a host name)
 * @param port            0 picks a free port (the bound one is in {@link ApiServer#port()})
 * @param dataDir         where ca.crt, ca.key, apiserver.crt, apiserver.key, tokens.csv and kubeconfig live
 * @param plainHttp       serve http:// instead of https:// (loopback only)
 * @param extraSans       extra DNS names or IPs for the serving certificate, besides 127.0.0.1, ::1, localhost
 * @param maxRequestBytes request bodies above this get 413 (kube-apiserver: 3 MiB)
 */
public record ApiSettings(
    String bindHost, int port, Path dataDir, boolean plainHttp, List<String> extraSans, long maxRequestBytes) {

  public static final long DEFAULT_MAX_REQUEST_BYTES = 3L * 1024 * 1024;
  public static final int DEFAULT_PORT = 6443;

  public ApiSettings {
    Objects.requireNonNull(bindHost, "bindHost");
    Objects.requireNonNull(dataDir, "dataDir");
    extraSans = extraSans == null ? List.of() : List.copyOf(extraSans);
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port out of range: " + port);
    }
    if (maxRequestBytes <= 0) {
      throw new IllegalArgumentException("maxRequestBytes must be positive: " + maxRequestBytes);
    }
    if (plainHttp && !isLoopback(bindHost)) {
      throw new IllegalArgumentException(
          "refusing plain HTTP on non-loopback address " + bindHost + ": bearer tokens would travel in clear text");
    }
  }

  /** HTTPS on 127.0.0.1:6443 with the default body limit. */
  public static ApiSettings defaults(Path dataDir) {
    return new ApiSettings("127.0.0.1", DEFAULT_PORT, dataDir, false, List.of(), DEFAULT_MAX_REQUEST_BYTES);
  }

  public ApiSettings withBindHost(String value) {
    return new ApiSettings(value, port, dataDir, plainHttp, extraSans, maxRequestBytes);
  }

  public ApiSettings withPort(int value) {
    return new ApiSettings(bindHost, value, dataDir, plainHttp, extraSans, maxRequestBytes);
  }

  public ApiSettings withPlainHttp(boolean value) {
    return new ApiSettings(bindHost, port, dataDir, value, extraSans, maxRequestBytes);
  }

  public ApiSettings withExtraSans(List<String> value) {
    return new ApiSettings(bindHost, port, dataDir, plainHttp, value, maxRequestBytes);
  }

  public ApiSettings withMaxRequestBytes(long value) {
    return new ApiSettings(bindHost, port, dataDir, plainHttp, extraSans, value);
  }

  /** True for 127.0.0.0/8, ::1 and "localhost"; no DNS lookup for anything else. */
  static boolean isLoopback(String host) {
    String h = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    if (h.equalsIgnoreCase("localhost")) {
      return true;
    }
    if (!Pki.looksLikeIpLiteral(h)) {
      return false;
    }
    try {
      return InetAddress.getByName(h).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }
}
