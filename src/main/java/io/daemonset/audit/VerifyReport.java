package io.daemonset.audit;

import java.time.Instant;
import java.util.List;

/**
 * What {@code audit verify} found.
 *
 * @param signaturesChecked false when no key was available: the chain was checked, the checkpoints' signatures
 *     were not (anyone with write access could have forged them)
 * @param unsealed events newer than the sealer's last pass: not yet covered by the chain (the window)
 * @param uncheckpointed events sealed after the last checkpoint: covered by the chain but not yet signed
 * @param notices findings that are not damage but an auditor should see (kind sealed-late: a row the sealer met
 *     only after a checkpoint's watermark had passed its ordering)
 */
public record VerifyReport(boolean ok, long entities, long events, long checkpoints, Instant lastCheckpointAt,
                           boolean signaturesChecked, String keySource, long unsealed, long uncheckpointed,
                           List<Damage> damages, List<Damage> notices) {

  /**
   * One thing wrong.
   *
   * @param persistenceId the entity ("DaemonSet|default/logs"), or "checkpoint" for a checkpoint
   * @param sequenceNr the event's sequence number (the checkpoint's id), 0 when it concerns the whole entity
   * @param kind missing, edited, reordered, inserted, undeserializable, rewritten, truncated, forged, unchained;
   *     for a notice, sealed-late
   */
  public record Damage(String persistenceId, long sequenceNr, String kind, String detail) {
    public String describe() {
      return persistenceId + " #" + sequenceNr + ": " + kind + ": " + detail;
    }
  }

  public VerifyReport {
    damages = List.copyOf(damages);
    notices = List.copyOf(notices);
  }
}
