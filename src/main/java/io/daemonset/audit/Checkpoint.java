package io.daemonset.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

/**
 * A signed statement of chain heads: "at {@code createdAt}, entity P's chain reached sequence number N with
 * digest D". Each checkpoint names the heads that moved since the previous one and the previous checkpoint's
 * signature (so checkpoints form a chain of their own), the ordering up to which every row was sealed, and any
 * cut made by archive-then-prune (the last archived event of each entity). The body is stored as the exact
 * text that was signed.
 *
 * @param watermark every journal row with a lower or equal ordering was sealed when this was signed
 * @param heads persistence id → head reached
 * @param cuts persistence id → last event archived and pruned (the chain continues from its digest)
 */
public record Checkpoint(int version, long id, Instant createdAt, String previous, long watermark,
                         Map<String, Head> heads, Map<String, Head> cuts) {
  public static final int VERSION = 1;
  private static final ObjectMapper MAPPER = JsonMapper.builder().findAndAddModules()
      .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
      .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS).build();

  /** One entity's chain at a sequence number. */
  public record Head(long seq, String digest) {}

  public Checkpoint {
    heads = new TreeMap<>(heads);
    cuts = new TreeMap<>(cuts);
  }

  public String body() {
    try {
      return MAPPER.writeValueAsString(this);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  public static Checkpoint parse(String body) {
    try {
      return MAPPER.readValue(body, Checkpoint.class);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not a checkpoint: " + e.getOriginalMessage());
    }
  }

  /** A stored checkpoint: its body text and the signature over it. */
  public record Signed(long id, String body, String mac) {}
}
