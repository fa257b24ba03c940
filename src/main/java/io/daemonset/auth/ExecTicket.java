package io.daemonset.auth;

import io.daemonset.model.Json;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The first frame of an exec session from the API server to a node agent: what to run, signed with HMAC-SHA256 under
 * the node's credential token, which only the API server (tokens.csv) and the agent itself know. The agent runs a
 * command only for a ticket it can verify, issued less than {@link #MAX_AGE} ago and never seen before, so reaching
 * its exec port is not enough to run anything in a container (as kubelet's authenticated port requires the API
 * server's client certificate). Wire form: 32 bytes of MAC, then the request as JSON.
 */
public final class ExecTicket {
  public static final Duration MAX_AGE = Duration.ofSeconds(60);
  private static final int MAC_BYTES = 32;

  /** What an exec runs, and where. */
  public record Request(String namespace, String pod, String container, List<String> command, boolean stdin,
                        boolean stdout, boolean stderr, boolean tty, long issuedAtMillis, String nonce) {

    public static Request of(String namespace, String pod, String container, List<String> command, boolean stdin,
                             boolean stdout, boolean stderr, boolean tty, Clock clock) {
      return new Request(namespace, pod, container, List.copyOf(command), stdin, stdout, stderr, tty, clock.millis(),
          UUID.randomUUID().toString());
    }
  }

  private final Map<String, Long> seen = new ConcurrentHashMap<>();

  /** The signed frame. */
  public static byte[] sign(Request request, String key) {
    byte[] json = Json.write(request).getBytes(StandardCharsets.UTF_8);
    byte[] mac = mac(key, json);
    byte[] frame = Arrays.copyOf(mac, MAC_BYTES + json.length);
    System.arraycopy(json, 0, frame, MAC_BYTES, json.length);
    return frame;
  }

  /** The request a frame carries, if its MAC, age and nonce hold; else IllegalArgumentException saying which. */
  public Request verify(byte[] frame, String key, Clock clock) {
    if (frame.length <= MAC_BYTES || key == null || key.isEmpty()) {
      throw new IllegalArgumentException("exec ticket missing or agent without credential");
    }
    byte[] json = Arrays.copyOfRange(frame, MAC_BYTES, frame.length);
    if (!MessageDigest.isEqual(Arrays.copyOf(frame, MAC_BYTES), mac(key, json))) {
      throw new IllegalArgumentException("exec ticket not signed with this node's credential");
    }
    Request request = Json.read(new String(json, StandardCharsets.UTF_8), Request.class);
    long now = clock.millis();
    if (Math.abs(now - request.issuedAtMillis()) > MAX_AGE.toMillis()) {
      throw new IllegalArgumentException("exec ticket expired (clocks of API server and node differ by more than "
          + MAX_AGE.toSeconds() + " s?)");
    }
    seen.values().removeIf(at -> now - at > 2 * MAX_AGE.toMillis());
    if (seen.putIfAbsent(request.nonce(), now) != null) {
      throw new IllegalArgumentException("exec ticket replayed");
    }
    return request;
  }

  private static byte[] mac(String key, byte[] message) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return mac.doFinal(message);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
