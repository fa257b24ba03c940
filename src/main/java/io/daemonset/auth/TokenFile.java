package io.daemonset.auth;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * kube-apiserver's static token file ({@code --token-auth-file}): one CSV record per line,
 * {@code token,user,uid,"group1,group2"} (the groups column is optional). Blank lines and lines starting with
 * {@code #} are skipped. On first start {@link #loadOrCreate} writes an admin token (group system:masters) and a
 * viewer token (user viewer, group viewers) to {@code <data-dir>/tokens.csv}.
 * <p>Node agents join as kubelets do with TLS bootstrapping: {@link #ensureBootstrapToken} keeps one bootstrap token
 * (in upstream's form {@code [a-z0-9]{6}.[a-z0-9]{16}}, user {@code system:bootstrap:<token-id>}, group
 * {@code system:bootstrappers}) and writes it to {@code <data-dir>/node-token}; an agent exchanges it once for its
 * node's own credential ({@link #nodeCredential}: user {@code system:node:<name>}, group {@code system:nodes}).
 */
public final class TokenFile {
  public static final String FILE_NAME = "tokens.csv";
  public static final String ADMIN_USER = "admin";
  public static final String VIEWER_USER = "viewer";
  /** The file serve writes the bootstrap token to, in its data directory. */
  public static final String NODE_TOKEN_FILE = "node-token";

  private static final java.util.regex.Pattern BOOTSTRAP_TOKEN = java.util.regex.Pattern.compile(
      "([a-z0-9]{6})\\.([a-z0-9]{16})");
  private static final char[] BOOTSTRAP_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789".toCharArray();

  private static final SecureRandom RANDOM = new SecureRandom();

  /** One record: a token and who it stands for. */
  public record Entry(String token, Identity identity) {}

  /** A node agent's credential; issued is true when it was created by this call, false when it existed. */
  public record NodeCredential(String nodeName, String user, String token, boolean issued) {}

  /** How often {@link #authenticate} looks whether tokens.csv changed on disk. */
  static final long RECHECK_NANOS = 1_000_000_000L;
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(TokenFile.class);

  private final Path path;
  private volatile List<Entry> entries;
  /** Modification time and size of the file when last read; -1 when not backed by disk. */
  private volatile long stamp;
  private volatile long checkedAt = System.nanoTime();
  /** Node credentials held as cluster state (serve plugs them in); none until then. */
  private volatile NodeCredentialSource clusterCredentials;

  private TokenFile(Path path, List<Entry> entries, long stamp) {
    this.path = path;
    this.entries = List.copyOf(entries);
    this.stamp = stamp;
  }

  /**
   * Reads dataDir/tokens.csv, creating it with an admin and a viewer token when it does not exist. Members sharing
   * the data dir take turns ({@link DataDirLock}), so the first creates the file and the others read it.
   */
  public static TokenFile loadOrCreate(Path dataDir) {
    Path file = dataDir.resolve(FILE_NAME);
    try {
      return DataDirLock.locked(dataDir, () -> {
        if (Files.exists(file)) {
          return new TokenFile(file, read(file), stampOf(file));
        }
        List<Entry> initial = List.of(
            new Entry(newToken(), new Identity(ADMIN_USER, UUID.randomUUID().toString(), Set.of(Identity.MASTERS))),
            new Entry(newToken(), new Identity(VIEWER_USER, UUID.randomUUID().toString(), Set.of(Identity.VIEWERS))));
        DataFiles.write(file, render(initial), true);
        return new TokenFile(file, initial, stampOf(file));
      });
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static List<Entry> read(Path file) throws IOException {
    return parse(Files.readString(file, StandardCharsets.UTF_8));
  }

  private static long stampOf(Path file) throws IOException {
    return Files.exists(file) ? Files.getLastModifiedTime(file).toMillis() * 31 + Files.size(file) : -2;
  }

  /**
   * Reads tokens.csv again if it changed since it was last read (an operator revoked a token, another member
   * issued a node credential). A file that no longer parses is reported and the tokens known so far are kept.
   * Returns whether the tokens changed.
   */
  public boolean reloadIfChanged() {
    if (path == null) {
      return false;
    }
    try {
      long now = stampOf(path);
      if (now == stamp) {
        return false;
      }
      List<Entry> fresh = read(path);
      boolean changed = !fresh.equals(entries);
      entries = List.copyOf(fresh);
      stamp = now;
      if (changed) {
        LOG.info("{} changed: {} tokens", path, fresh.size());
      }
      return changed;
    } catch (IOException | IllegalArgumentException e) {
      LOG.warn("{} changed but cannot be read ({}); keeping the {} tokens read before", path, e.getMessage(),
          entries.size());
      return false;
    }
  }

  private void reloadAtMostEverySecond() {
    long now = System.nanoTime();
    if (path != null && now - checkedAt >= RECHECK_NANOS) {
      checkedAt = now;
      reloadIfChanged();
    }
  }

  /** Runs a change of the file under the data dir's lock, on the tokens as the file holds them now. */
  private <T> T changing(DataDirLock.Work<T> change) {
    if (path == null) {
      try {
        return change.run();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    try {
      return DataDirLock.locked(path.toAbsolutePath().getParent(), () -> {
        reloadIfChanged();
        return change.run();
      });
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A token file not backed by disk (tests). */
  public static TokenFile of(List<Entry> entries) {
    return new TokenFile(null, entries, -1);
  }

  public List<Entry> entries() {
    return entries;
  }

  /**
   * Node credentials issued as cluster state: tokens the file does not hold are looked up there too. The file's node
   * credentials (issued before they became cluster state) keep authenticating until their Node is deleted.
   */
  public void useClusterCredentials(NodeCredentialSource source) {
    this.clusterCredentials = source;
  }

  /**
   * As {@link #authenticate}, but a token nobody knows yet is given a moment to appear in the cluster's node
   * credentials ({@link NodeCredentialSource#authenticateSoon}); completes at once for a known token.
   */
  public java.util.concurrent.CompletionStage<Optional<Identity>> authenticateSoon(String token) {
    Optional<Identity> now = authenticate(token);
    NodeCredentialSource cluster = clusterCredentials;
    if (now.isPresent() || cluster == null || token == null || token.isEmpty()) {
      return java.util.concurrent.CompletableFuture.completedFuture(now);
    }
    return cluster.authenticateSoon(token);
  }

  /**
   * The token a node's agent authenticates with (it keys the node's exec tickets): the cluster's, else the file's (a
   * credential of an older release; an agent that has a cluster credential obtained it later, and uses it).
   */
  public Optional<String> nodeKey(String nodeName) {
    NodeCredentialSource cluster = clusterCredentials;
    Optional<String> current = cluster == null ? Optional.empty() : cluster.tokenOf(nodeName);
    if (current.isPresent()) {
      return current;
    }
    String user = Identity.NODE_USER_PREFIX + nodeName;
    return entries.stream()
        .filter(e -> e.identity().user().equals(user) && e.identity().inGroup(Identity.NODES))
        .map(Entry::token).findFirst();
  }

  /** The identity a bearer token stands for; compares in constant time per entry. */
  public Optional<Identity> authenticate(String token) {
    if (token == null || token.isEmpty()) {
      return Optional.empty();
    }
    reloadAtMostEverySecond();
    byte[] presented = token.getBytes(StandardCharsets.UTF_8);
    Identity found = find(presented);
    // An unknown token may be a node credential another member issued a moment ago (an agent behind a load
    // balancer asks one member for it and the next request lands on another): look at the file's stamp at once
    // rather than refuse until the next once-a-second check. A stat per refused request, a read only on a change.
    if (found == null && reloadIfChanged()) {
      found = find(presented);
    }
    NodeCredentialSource cluster = clusterCredentials;
    if (found == null && cluster != null) {
      return cluster.authenticate(token);
    }
    return Optional.ofNullable(found);
  }

  private Identity find(byte[] presented) {
    Identity found = null;
    for (Entry entry : entries) {
      if (MessageDigest.isEqual(presented, entry.token().getBytes(StandardCharsets.UTF_8)) && found == null) {
        found = entry.identity();
      }
    }
    return found;
  }

  /** The first token of a user (the kubeconfig writer uses admin's and viewer's). */
  public Optional<String> tokenFor(String user) {
    return entries.stream().filter(e -> e.identity().user().equals(user)).map(Entry::token).findFirst();
  }

  /**
   * Adds a token for identity (e.g. a node agent joining as system:node:NAME) and persists the file.
   * Returns the new token.
   */
  public synchronized String issue(Identity identity) {
    Entry entry = new Entry(newToken(), identity);
    append(entry);
    return entry.token();
  }

  private synchronized void append(Entry entry) {
    changing(() -> {
      List<Entry> next = new ArrayList<>(entries);
      next.add(entry);
      store(next);
      return null;
    });
  }

  private void store(List<Entry> next) throws IOException {
    if (path != null) {
      DataFiles.write(path, render(next), true);
      stamp = stampOf(path);
    }
    entries = List.copyOf(next);
  }

  /**
   * Revokes node agent nodeName's credentials (the Node was deleted): removes its system:node:NAME lines from
   * tokens.csv, at once for this member and within a second for the others that share the file. Returns how many.
   */
  public synchronized int revokeNode(String nodeName) {
    String user = Identity.NODE_USER_PREFIX + nodeName;
    return changing(() -> {
      List<Entry> kept = entries.stream()
          .filter(e -> !(e.identity().user().equals(user) && e.identity().inGroup(Identity.NODES))).toList();
      int removed = entries.size() - kept.size();
      if (removed > 0) {
        store(kept);
        LOG.info("revoked the credential of {} (its Node was deleted)", user);
      }
      return removed;
    });
  }

  /** Whether a token has the form of a bootstrap token, {@code [a-z0-9]{6}.[a-z0-9]{16}} (token-id.secret). */
  public static boolean isBootstrapToken(String token) {
    return token != null && BOOTSTRAP_TOKEN.matcher(token).matches();
  }

  /**
   * The bootstrap token node agents join with: the one named in nodeTokenFile if tokens.csv still holds it as a
   * bootstrap token, else the first of tokens.csv, else a new one (added to tokens.csv). Writes it to nodeTokenFile
   * (mode 0600) when that file does not hold it yet. Created once, reused on every start; to rotate it, delete its
   * line from tokens.csv and the file.
   */
  public synchronized String ensureBootstrapToken(Path nodeTokenFile) {
    return changing(() -> ensureBootstrapTokenLocked(nodeTokenFile));
  }

  private String ensureBootstrapTokenLocked(Path nodeTokenFile) {
    try {
      String written = Files.exists(nodeTokenFile) ? Files.readString(nodeTokenFile, StandardCharsets.UTF_8).trim()
          : null;
      String token = written != null && authenticate(written).filter(i -> i.inGroup(Identity.BOOTSTRAPPERS)).isPresent()
          ? written
          : entries.stream().filter(e -> e.identity().inGroup(Identity.BOOTSTRAPPERS) && isBootstrapToken(e.token()))
              .map(Entry::token).findFirst().orElse(null);
      if (token == null) {
        token = newBootstrapToken();
        String id = token.substring(0, 6);
        append(new Entry(token, new Identity(Identity.BOOTSTRAP_USER_PREFIX + id, UUID.randomUUID().toString(),
            Set.of(Identity.BOOTSTRAPPERS))));
      }
      if (!token.equals(written)) {
        DataFiles.write(nodeTokenFile, token + "\n", true);
      }
      return token;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The credential of node agent nodeName (user system:node:NAME, group system:nodes): the one tokens.csv holds,
   * else a new one, persisted.
   */
  public synchronized NodeCredential nodeCredential(String nodeName) {
    return changing(() -> nodeCredentialLocked(nodeName));
  }

  private NodeCredential nodeCredentialLocked(String nodeName) {
    String user = Identity.NODE_USER_PREFIX + nodeName;
    Optional<String> existing = entries.stream()
        .filter(e -> e.identity().user().equals(user) && e.identity().inGroup(Identity.NODES))
        .map(Entry::token).findFirst();
    if (existing.isPresent()) {
      return new NodeCredential(nodeName, user, existing.get(), false);
    }
    return new NodeCredential(nodeName, user, issue(Identity.node(nodeName, UUID.randomUUID().toString())), true);
  }

  /** Parses the file format; throws IllegalArgumentException naming the line for a malformed record. */
  public static List<Entry> parse(String content) {
    List<Entry> result = new ArrayList<>();
    Map<String, Integer> seen = new LinkedHashMap<>();
    String[] lines = content.replace("\uFEFF", "").split("\r?\n");
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i];
      if (line.isBlank() || line.stripLeading().startsWith("#")) {
        continue;
      }
      List<String> fields = splitCsv(line, i + 1);
      if (fields.size() < 3) {
        throw new IllegalArgumentException("tokens.csv line " + (i + 1) + ": want token,user,uid[,\"groups\"]");
      }
      String token = fields.get(0).trim();
      String user = fields.get(1).trim();
      if (token.isEmpty() || user.isEmpty()) {
        throw new IllegalArgumentException("tokens.csv line " + (i + 1) + ": empty token or user");
      }
      if (seen.putIfAbsent(token, i + 1) != null) {
        throw new IllegalArgumentException("tokens.csv line " + (i + 1) + ": duplicate token");
      }
      Set<String> groups = new LinkedHashSet<>();
      if (fields.size() >= 4) {
        for (String group : fields.get(3).split(",")) {
          if (!group.isBlank()) {
            groups.add(group.trim());
          }
        }
      }
      result.add(new Entry(token, new Identity(user, fields.get(2).trim(), groups)));
    }
    return result;
  }

  /** Writes entries in the same format, groups quoted and sorted. */
  public static String render(List<Entry> entries) {
    StringBuilder out = new StringBuilder("# token,user,uid,\"groups\" (kube-apiserver --token-auth-file format)\n");
    for (Entry entry : entries) {
      Identity id = entry.identity();
      out.append(quoteIfNeeded(entry.token())).append(',').append(quoteIfNeeded(id.user())).append(',')
          .append(quoteIfNeeded(id.uid()));
      if (!id.groups().isEmpty()) {
        out.append(",\"").append(String.join(",", id.groups().stream().sorted().toList()).replace("\"", "\"\""))
            .append('"');
      }
      out.append('\n');
    }
    return out.toString();
  }

  /** token-id.secret, 6 and 16 characters of [a-z0-9]. */
  static String newBootstrapToken() {
    StringBuilder token = new StringBuilder(23);
    for (int i = 0; i < 22; i++) {
      if (i == 6) {
        token.append('.');
      }
      token.append(BOOTSTRAP_ALPHABET[RANDOM.nextInt(BOOTSTRAP_ALPHABET.length)]);
    }
    return token.toString();
  }

  static String newToken() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  private static String quoteIfNeeded(String value) {
    if (value.contains(",") || value.contains("\"")) {
      return '"' + value.replace("\"", "\"\"") + '"';
    }
    return value;
  }

  /** RFC 4180 fields of one line: quotes group commas, "" is a literal quote. */
  private static List<String> splitCsv(String line, int lineNumber) {
    List<String> fields = new ArrayList<>();
    StringBuilder field = new StringBuilder();
    boolean quoted = false;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (quoted) {
        if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
          field.append('"');
          i++;
        } else if (c == '"') {
          quoted = false;
        } else {
          field.append(c);
        }
      } else if (c == '"') {
        quoted = true;
      } else if (c == ',') {
        fields.add(field.toString());
        field.setLength(0);
      } else {
        field.append(c);
      }
    }
    if (quoted) {
      throw new IllegalArgumentException("tokens.csv line " + lineNumber + ": unterminated quote");
    }
    fields.add(field.toString());
    return fields;
  }
}
