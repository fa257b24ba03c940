package io.daemonset.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokenFileTest {

  @Test
  void parsesKubeApiserverTokenFileFormat() {
    List<TokenFile.Entry> entries = TokenFile.parse("""
        # comment
        abc123,admin,uid-1,"system:masters,ops"

        def456,viewer,uid-2,viewers
        ghi789,"system:node:n1",uid-3,"system:nodes"
        jkl012,plain,uid-4
        mno345,"quoted \"\"user\"\"",uid-5,\"\"
        """);
    assertThat(entries).extracting(TokenFile.Entry::token)
        .containsExactly("abc123", "def456", "ghi789", "jkl012", "mno345");
    assertThat(entries.get(0).identity()).isEqualTo(new Identity("admin", "uid-1", Set.of("system:masters", "ops")));
    assertThat(entries.get(1).identity().groups()).containsExactly("viewers");
    assertThat(entries.get(2).identity().nodeName()).hasValue("n1");
    assertThat(entries.get(3).identity().groups()).isEmpty();
    assertThat(entries.get(4).identity().user()).isEqualTo("quoted \"user\"");
    assertThat(entries.get(4).identity().groups()).isEmpty();
  }

  @Test
  void rejectsMalformedRecordsNamingTheLine() {
    assertThatThrownBy(() -> TokenFile.parse("a,b,c\nonly-two,fields\n"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("line 2");
    assertThatThrownBy(() -> TokenFile.parse("a,b,c,\"unterminated\n"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unterminated");
    assertThatThrownBy(() -> TokenFile.parse("a,b,c\na,d,e\n"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("duplicate");
  }

  @Test
  void renderRoundTrips() {
    List<TokenFile.Entry> entries = List.of(
        new TokenFile.Entry("t1", new Identity("admin", "u1", Set.of("system:masters", "b"))),
        new TokenFile.Entry("t2", new Identity("a,b", "u2", Set.of())));
    assertThat(TokenFile.parse(TokenFile.render(entries))).isEqualTo(entries);
    assertThat(TokenFile.render(entries)).contains("t1,admin,u1,\"b,system:masters\"");
  }

  @Test
  void firstStartWritesAdminAndViewerTokensAndLaterStartsReuseThem(@TempDir Path dir) throws Exception {
    TokenFile first = TokenFile.loadOrCreate(dir);
    Path file = dir.resolve(TokenFile.FILE_NAME);
    assertThat(file).exists();
    assertThat(Files.getPosixFilePermissions(file)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
    String admin = first.tokenFor("admin").orElseThrow();
    String viewer = first.tokenFor("viewer").orElseThrow();
    assertThat(admin).hasSizeGreaterThanOrEqualTo(40).isNotEqualTo(viewer);
    assertThat(first.authenticate(admin).orElseThrow().groups()).containsExactly(Identity.MASTERS);
    assertThat(first.authenticate(viewer).orElseThrow().groups()).containsExactly(Identity.VIEWERS);
    assertThat(first.authenticate("wrong")).isEmpty();
    assertThat(first.authenticate("")).isEmpty();

    TokenFile again = TokenFile.loadOrCreate(dir);
    assertThat(again.entries()).isEqualTo(first.entries());

    String nodeToken = again.issue(Identity.node("n1", "u9"));
    assertThat(TokenFile.loadOrCreate(dir).authenticate(nodeToken)).hasValue(Identity.node("n1", "u9"));
  }

  @Test
  void theBootstrapTokenIsCreatedOnceWrittenToNodeTokenAndReused(@TempDir Path dir) throws Exception {
    TokenFile tokens = TokenFile.loadOrCreate(dir);
    Path nodeToken = dir.resolve(TokenFile.NODE_TOKEN_FILE);
    String token = tokens.ensureBootstrapToken(nodeToken);
    assertThat(TokenFile.isBootstrapToken(token)).as(token).isTrue();
    assertThat(Files.readString(nodeToken).trim()).isEqualTo(token);
    if (nodeToken.getFileSystem().supportedFileAttributeViews().contains("posix")) {
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(nodeToken))).isEqualTo("rw-------");
    }
    Identity who = tokens.authenticate(token).orElseThrow();
    assertThat(who.user()).isEqualTo("system:bootstrap:" + token.substring(0, 6));
    assertThat(who.groups()).containsExactly(Identity.BOOTSTRAPPERS);

    TokenFile again = TokenFile.loadOrCreate(dir);
    assertThat(again.ensureBootstrapToken(nodeToken)).isEqualTo(token);
    Files.delete(nodeToken);
    assertThat(again.ensureBootstrapToken(nodeToken)).isEqualTo(token);
    assertThat(again.entries()).hasSize(3);
    assertThat(TokenFile.isBootstrapToken(TokenFile.newToken())).isFalse();
  }

  @Test
  void aNodeCredentialIsIssuedOnceThenHandedOutAgain(@TempDir Path dir) {
    TokenFile tokens = TokenFile.loadOrCreate(dir);
    TokenFile.NodeCredential first = tokens.nodeCredential("worker-1");
    assertThat(first.issued()).isTrue();
    assertThat(first.user()).isEqualTo("system:node:worker-1");
    assertThat(tokens.authenticate(first.token()).flatMap(Identity::nodeName)).hasValue("worker-1");
    TokenFile.NodeCredential second = TokenFile.loadOrCreate(dir).nodeCredential("worker-1");
    assertThat(second.issued()).isFalse();
    assertThat(second.token()).isEqualTo(first.token());
    assertThat(tokens.nodeCredential("worker-2").token()).isNotEqualTo(first.token());
  }
}
