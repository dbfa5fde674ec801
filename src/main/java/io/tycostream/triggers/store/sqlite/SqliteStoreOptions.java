package io.tycostream.triggers.store.sqlite;

import io.tycostream.triggers.secret.MasterKeyFile;
import io.tycostream.triggers.secret.SecretCipher;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Where and how the embedded SQLite store keeps its file. Every default is a named constant.
 * <p>
 * Durability: the file runs in WAL mode. With {@link Synchronous#NORMAL} (default) a committed transaction survives a
 * crash or {@code SIGKILL} of the process, because it is in the WAL file in the OS page cache; only an OS crash or
 * power loss can lose the last transactions (never corrupt the file). Losing them is safe for this service: the
 * checkpoint rolls back together with the events and state of the same commit, so the source resumes from the older
 * checkpoint and re-derives the same event ids. {@link Synchronous#FULL} syncs the WAL on every commit and also
 * survives power loss, at the cost of an fsync per commit.
 */
public final class SqliteStoreOptions {

  /** How often SQLite syncs the WAL to the device. */
  public enum Synchronous { NORMAL, FULL }

  public static final String DEFAULT_FILE_NAME = "tycostream-triggers.db";
  public static final Synchronous DEFAULT_SYNCHRONOUS = Synchronous.NORMAL;
  public static final Duration DEFAULT_BUSY_TIMEOUT = Duration.ofSeconds(5);
  public static final int DEFAULT_READER_POOL_SIZE = 4;

  private Path dataDirectory;
  private String fileName = DEFAULT_FILE_NAME;
  private Synchronous synchronous = DEFAULT_SYNCHRONOUS;
  private Duration busyTimeout = DEFAULT_BUSY_TIMEOUT;
  private int readerPoolSize = DEFAULT_READER_POOL_SIZE;
  private SecretCipher secretCipher;

  public Path getDataDirectory() {
    return dataDirectory;
  }

  /** The directory holding the database file (and its {@code -wal} and {@code -shm} companions). Required. */
  public SqliteStoreOptions setDataDirectory(Path dataDirectory) {
    this.dataDirectory = Objects.requireNonNull(dataDirectory, "dataDirectory");
    return this;
  }

  public String getFileName() {
    return fileName;
  }

  public SqliteStoreOptions setFileName(String fileName) {
    Objects.requireNonNull(fileName, "fileName");
    if (fileName.isBlank() || fileName.contains("/") || fileName.contains("?")) {
      throw new IllegalArgumentException("fileName must be a plain file name: " + fileName);
    }
    this.fileName = fileName;
    return this;
  }

  public Synchronous getSynchronous() {
    return synchronous;
  }

  public SqliteStoreOptions setSynchronous(Synchronous synchronous) {
    this.synchronous = Objects.requireNonNull(synchronous, "synchronous");
    return this;
  }

  public Duration getBusyTimeout() {
    return busyTimeout;
  }

  /** How long a connection waits for another process's write lock before failing with UNAVAILABLE. */
  public SqliteStoreOptions setBusyTimeout(Duration busyTimeout) {
    if (busyTimeout.isNegative()) {
      throw new IllegalArgumentException("busyTimeout must not be negative: " + busyTimeout);
    }
    this.busyTimeout = busyTimeout;
    return this;
  }

  public int getReaderPoolSize() {
    return readerPoolSize;
  }

  /** Connections for queries; WAL lets them read while the single writer connection writes. */
  public SqliteStoreOptions setReaderPoolSize(int readerPoolSize) {
    if (readerPoolSize < 1) {
      throw new IllegalArgumentException("readerPoolSize must be at least 1: " + readerPoolSize);
    }
    this.readerPoolSize = readerPoolSize;
    return this;
  }

  public SecretCipher getSecretCipher() {
    return secretCipher;
  }

  /**
   * Seals the webhook secrets at rest. When none is set, the store uses the key file
   * {@value MasterKeyFile#DEFAULT_FILE_NAME} in the data directory, creating it (with a new key) on first open.
   */
  public SqliteStoreOptions setSecretCipher(SecretCipher secretCipher) {
    this.secretCipher = Objects.requireNonNull(secretCipher, "secretCipher");
    return this;
  }

  /** The database file. */
  public Path databaseFile() {
    if (dataDirectory == null) {
      throw new IllegalStateException("dataDirectory is required");
    }
    return dataDirectory.resolve(fileName);
  }

  /** The JDBC URL; sqlite-jdbc applies these pragmas to every connection it opens. */
  String jdbcUrl() {
    String path = databaseFile().toAbsolutePath().toString();
    if (path.contains("?")) {
      throw new IllegalStateException("the database path must not contain '?': " + path);
    }
    return "jdbc:sqlite:" + path
      + "?journal_mode=WAL"
      + "&synchronous=" + synchronous.name()
      + "&busy_timeout=" + busyTimeout.toMillis()
      + "&foreign_keys=true"
      // off for the hot path (it doubled the p99 of deliveries): the transactions that remove secrets turn it on
      // (SqliteDialect.inErasingTransaction)
      + "&secure_delete=false";
  }
}
