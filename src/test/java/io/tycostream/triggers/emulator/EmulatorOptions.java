package io.tycostream.triggers.emulator;

/**
 * Settings of one {@link MaterializeEmulator}. Every default is a named constant. Not thread-safe; configure before
 * {@link MaterializeEmulator#start}.
 */
public class EmulatorOptions {

  /** How often uppers advance to the logical now, like Materialize tables (about once per second). */
  public static final long DEFAULT_TICK_MS = 1000;
  /** Materialize's default history retention for user objects. */
  public static final long DEFAULT_RETENTION_MS = 1000;
  public static final ErrorProfile DEFAULT_ERROR_PROFILE = ErrorProfile.CURRENT;
  public static final String DEFAULT_MZ_VERSION = "v0.130.0 (emulator)";
  public static final String DEFAULT_CLUSTER = "quickstart";

  private String password;
  private long tickMs = DEFAULT_TICK_MS;
  private long retentionMs = DEFAULT_RETENTION_MS;
  private ErrorProfile errorProfile = DEFAULT_ERROR_PROFILE;
  private Long startTime;
  private String mzVersion = DEFAULT_MZ_VERSION;
  private String cluster = DEFAULT_CLUSTER;
  private long maxBufferedRows;

  /** Cleartext password required at startup; null means no authentication. */
  public String getPassword() { return password; }
  public EmulatorOptions setPassword(String password) { this.password = password; return this; }

  /** Ticker period in ms; 0 switches to a manual clock where uppers move only on writes and {@code advance}. */
  public long getTickMs() { return tickMs; }
  public EmulatorOptions setTickMs(long tickMs) {
    if (tickMs < 0) {
      throw new IllegalArgumentException("tickMs must be >= 0");
    }
    this.tickMs = tickMs;
    return this;
  }

  /** History retention: since trails upper by this many ms unless a live subscribe holds it back. */
  public long getRetentionMs() { return retentionMs; }
  public EmulatorOptions setRetentionMs(long retentionMs) { this.retentionMs = retentionMs; return this; }

  public ErrorProfile getErrorProfile() { return errorProfile; }
  public EmulatorOptions setErrorProfile(ErrorProfile errorProfile) { this.errorProfile = errorProfile; return this; }

  /** Logical clock value at start (ms); null means the wall clock. */
  public Long getStartTime() { return startTime; }
  public EmulatorOptions setStartTime(Long startTime) { this.startTime = startTime; return this; }

  /** Value of the {@code mz_version} ParameterStatus. */
  public String getMzVersion() { return mzVersion; }
  public EmulatorOptions setMzVersion(String mzVersion) { this.mzVersion = mzVersion; return this; }

  /** Name of the (single) cluster every session runs on. */
  public String getCluster() { return cluster; }
  public EmulatorOptions setCluster(String cluster) { this.cluster = cluster; return this; }

  /** Rows a subscribe may buffer for a slow reader before failing with 53200; 0 means unbounded (older versions). */
  public long getMaxBufferedRows() { return maxBufferedRows; }
  public EmulatorOptions setMaxBufferedRows(long maxBufferedRows) { this.maxBufferedRows = maxBufferedRows; return this; }
}
