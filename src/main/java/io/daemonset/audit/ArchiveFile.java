package io.daemonset.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * The JSON Lines form of journal rows (schema {@value AuditOutput#API_VERSION}), written by {@code audit archive}
 * and read back by the audit (and by the golden-journal test): a header, one {@code JournalRow} per event with
 * its payload in base64 and its chained digest, and the signed checkpoint that records the cut.
 */
public final class ArchiveFile {
  private static final ObjectMapper JSON = JsonMapper.builder().build();

  /**
   * What a file holds: its rows in the order written with their chained digests, the chain's format (1 in files
   * written before formats, whose header has none), and the signed checkpoint of the cut (null if none).
   */
  public record Contents(List<JournalRow> rows, List<String> digests, ChainDigest.Format format,
                         Checkpoint.Signed cut) {}

  private ArchiveFile() {}

  public static void writeHeader(Writer out, Instant createdAt, String note, ChainDigest.Format format)
      throws IOException {
    ObjectNode header = JSON.createObjectNode().put("apiVersion", AuditOutput.API_VERSION)
        .put("kind", "JournalArchive").put("createdAt", createdAt.toString()).put("note", note)
        .put("chainFormat", format.version);
    out.write(JSON.writeValueAsString(header));
    out.write('\n');
  }

  public static void writeRow(Writer out, JournalRow row, String digest) throws IOException {
    ObjectNode line = JSON.createObjectNode().put("kind", "JournalRow").put("ordering", row.ordering())
        .put("persistenceId", row.persistenceId()).put("sequenceNr", row.sequenceNr())
        .put("writtenAt", row.writtenAt().toString()).put("serializerId", row.serializerId())
        .put("manifest", row.manifest()).put("payload", Base64.getEncoder().encodeToString(row.payload()));
    if (digest != null) {
      line.put("digest", digest);
    }
    out.write(JSON.writeValueAsString(line));
    out.write('\n');
  }

  public static void writeCut(Writer out, Checkpoint.Signed cut) throws IOException {
    ObjectNode line = JSON.createObjectNode().put("kind", "Cut").put("id", cut.id()).put("body", cut.body())
        .put("mac", cut.mac());
    out.write(JSON.writeValueAsString(line));
    out.write('\n');
  }

  public static Contents read(Reader in) throws IOException {
    List<JournalRow> rows = new ArrayList<>();
    List<String> digests = new ArrayList<>();
    Checkpoint.Signed cut = null;
    ChainDigest.Format format = ChainDigest.Format.V1;
    BufferedReader lines = new BufferedReader(in);
    int n = 0;
    for (String line = lines.readLine(); line != null; line = lines.readLine()) {
      n++;
      if (line.isBlank()) {
        continue;
      }
      JsonNode node = JSON.readTree(line);
      switch (node.path("kind").asText()) {
        case "JournalRow" -> {
          rows.add(new JournalRow(node.get("ordering").asLong(), node.get("persistenceId").asText(),
              node.get("sequenceNr").asLong(), Instant.parse(node.get("writtenAt").asText()),
              node.get("serializerId").asInt(), node.get("manifest").asText(),
              Base64.getDecoder().decode(node.get("payload").asText())));
          digests.add(node.path("digest").asText(null));
        }
        case "Cut" -> cut = new Checkpoint.Signed(node.get("id").asLong(), node.get("body").asText(),
            node.get("mac").asText());
        case "JournalArchive" -> format = ChainDigest.Format.of(node.path("chainFormat").asInt(1));
        default -> throw new IOException("line " + n + ": not an archive line (kind " + node.path("kind") + ")");
      }
    }
    return new Contents(rows, digests, format, cut);
  }

  static BufferedWriter buffered(Writer out) {
    return out instanceof BufferedWriter b ? b : new BufferedWriter(out, 64 * 1024);
  }
}
