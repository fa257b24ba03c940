package io.daemonset.auth;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;

/**
 * The order in which the API server prefers its TLS cipher suites. The server's order decides (JSSE honours it by
 * default, and kubectl, the JDK's HttpClient and curl all offer ChaCha20-Poly1305): left alone, every connection gets
 * TLS_AES_256_GCM_SHA384, the JDK's first choice.
 *
 * <p>Why ChaCha20 first when C2 does not run: the JDK's AES and GHASH are fast only through C2's intrinsics (AES-NI,
 * CLMUL). Under C1 alone ({@code -XX:TieredStopAtLevel=1}, what the container image runs on 2 cores) AES-GCM is plain
 * Java: 37–51 MB per CPU second for AES-GCM against 155–197 MB for ChaCha20-Poly1305 (docs/performance.md, "TLS
 * cipher suites and the GC under C1 alone"), and a 5,000-node converge spent 13–14% of its CPU samples in
 * com.sun.crypto.provider. With C2 the JDK's own order stays: its AES-GCM intrinsics (1.7 GB per CPU second) beat the
 * JDK 17's plain-Java ChaCha20 (0.3 GB) there.
 */
public final class ServerCipherSuites {
  /** Where the operator chose the server's suites and their order themselves: then this class changes nothing. */
  static final String JDK_SERVER_SUITES_PROPERTY = "jdk.tls.server.cipherSuites";
  private static final boolean CHACHA_FIRST = chachaFirst(CompilerProbe.current(),
      System.getProperty(JDK_SERVER_SUITES_PROPERTY) != null);

  private ServerCipherSuites() {}

  /** How this JVM compiles, as far as the choice of cipher needs: whether C2 (with its AES intrinsics) runs. */
  public record CompilerProbe(boolean compilerOn, boolean tiered, int tieredStopAtLevel, boolean aesInstructions) {
    /** This JVM's flags; when they cannot be read, the JDK's order is kept (as if C2 ran). */
    public static CompilerProbe current() {
      try {
        HotSpotDiagnosticMXBean vm = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
        return new CompilerProbe(flag(vm, "UseCompiler"), flag(vm, "TieredCompilation"),
            Integer.parseInt(vm.getVMOption("TieredStopAtLevel").getValue()), flag(vm, "UseAES"));
      } catch (RuntimeException e) {
        return new CompilerProbe(true, true, 4, true);
      }
    }

    private static boolean flag(HotSpotDiagnosticMXBean vm, String name) {
      return Boolean.parseBoolean(vm.getVMOption(name).getValue());
    }

    /** Whether C2 compiles: tiered up to level 4, or C2 alone. */
    public boolean c2Runs() {
      return compilerOn && (!tiered || tieredStopAtLevel >= 4);
    }

    /** Whether AES-GCM runs on C2's intrinsics: C2 compiles and the CPU has AES. */
    boolean aesGcmIntrinsified() {
      return c2Runs() && aesInstructions;
    }
  }

  /** Pure: ChaCha20 first unless AES-GCM is compiled to AES-NI, or the operator set the JDK property. */
  static boolean chachaFirst(CompilerProbe probe, boolean operatorChose) {
    return !operatorChose && !probe.aesGcmIntrinsified();
  }

  /**
   * Pure: the enabled suites with the ChaCha20-Poly1305 ones moved to the front, the rest in their order. A TLS 1.2
   * suite ahead of the TLS 1.3 ones is harmless: JSSE skips suites of another protocol version.
   */
  static List<String> chachaFirst(String[] enabled) {
    List<String> ordered = new ArrayList<>();
    for (String suite : enabled) {
      if (suite.contains("CHACHA20")) {
        ordered.add(suite);
      }
    }
    for (String suite : enabled) {
      if (!suite.contains("CHACHA20")) {
        ordered.add(suite);
      }
    }
    return ordered;
  }

  /** A server engine of the context, preferring ChaCha20-Poly1305 when this JVM's AES-GCM is plain Java. */
  public static SSLEngine serverEngine(SSLContext context) {
    return serverEngine(context, CHACHA_FIRST);
  }

  static SSLEngine serverEngine(SSLContext context, boolean chachaFirst) {
    SSLEngine engine = context.createSSLEngine();
    engine.setUseClientMode(false);
    if (chachaFirst) {
      SSLParameters parameters = engine.getSSLParameters();
      parameters.setCipherSuites(chachaFirst(parameters.getCipherSuites()).toArray(String[]::new));
      parameters.setUseCipherSuitesOrder(true);
      engine.setSSLParameters(parameters);
    }
    return engine;
  }

  /** Whether this JVM's API server prefers ChaCha20-Poly1305 (logged once at start). */
  public static boolean prefersChaCha20() {
    return CHACHA_FIRST;
  }
}
