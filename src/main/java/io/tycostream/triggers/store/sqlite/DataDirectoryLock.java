package io.tycostream.triggers.store.sqlite;

import io.tycostream.triggers.store.StoreErrorCode;
import io.tycostream.triggers.store.StoreException;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The exclusive claim of one process on a data directory: an OS file lock on {@value #FILE_NAME} in it, held from
 * before the database is opened until the store is closed. Two processes writing one SQLite outbox would each
 * deliver, and each evaluate against state the other changes, so a second process must refuse to start.
 * <p>
 * The OS drops the lock when the process ends, however it ends ({@code kill -9} included), so a crash never leaves a
 * stale lock behind. The file itself is never deleted: deleting it would let a waiting opener lock the old file
 * while a newcomer locks a new one. It holds the holder's pid and start time, only to name the holder in the
 * refusal.
 * <p>
 * POSIX releases every lock a process holds on a file when the process closes <em>any</em> descriptor of that file,
 * so a second open in the same JVM must not even open the file: a JVM-wide set of held directories answers it first.
 * <p>
 * Threading: {@link #acquire} and {@link #release} block on file I/O; call them on a worker thread. Thread-safe.
 */
final class DataDirectoryLock {

  /** The lock file in the data directory. */
  static final String FILE_NAME = "tycostream-triggers.lock";

  /** Real paths of the data directories locked by this JVM. */
  private static final Set<Path> HELD = ConcurrentHashMap.newKeySet();
  private static final int MAX_HOLDER_BYTES = 256;

  private final Path directory;
  private final FileChannel channel;
  private final FileLock lock;

  private DataDirectoryLock(Path directory, FileChannel channel, FileLock lock) {
    this.directory = directory;
    this.channel = channel;
    this.lock = lock;
  }

  /**
   * Locks an existing data directory for this process.
   *
   * @param startedAt written into the lock file to name this holder to others
   * @throws StoreException {@link StoreErrorCode#UNAVAILABLE} naming the directory and the holding pid when another
   *     process, or another store in this JVM, holds it, or when the lock file cannot be written
   */
  static DataDirectoryLock acquire(Path dataDirectory, Instant startedAt) {
    Path directory = realPath(dataDirectory);
    long pid = ProcessHandle.current().pid();
    if (!HELD.add(directory)) {
      throw new StoreException(StoreErrorCode.UNAVAILABLE, "data directory " + directory
          + " is already open in this process (pid " + pid + "); one store per data directory");
    }
    try {
      return lock(directory, pid, startedAt);
    } catch (RuntimeException | Error failure) {
      HELD.remove(directory);
      throw failure;
    }
  }

  private static DataDirectoryLock lock(Path directory, long pid, Instant startedAt) {
    Path file = directory.resolve(FILE_NAME);
    FileChannel channel = null;
    try {
      channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
      FileLock lock = tryLock(channel);
      if (lock == null) {
        String holder = readHolder(channel);
        throw new StoreException(StoreErrorCode.UNAVAILABLE, "data directory " + directory
            + " is in use by another tycostream-triggers process (" + holder + "); one process per data directory");
      }
      writeHolder(channel, pid, startedAt);
      return new DataDirectoryLock(directory, channel, lock);
    } catch (IOException e) {
      closeQuietly(channel);
      throw new StoreException(StoreErrorCode.UNAVAILABLE, "cannot lock data directory " + directory + " through "
          + file + ": " + e.getMessage(), e);
    } catch (RuntimeException | Error failure) {
      // no lock of this JVM lives on this file (HELD says so), so closing the channel releases nobody's lock
      closeQuietly(channel);
      throw failure;
    }
  }

  private static FileLock tryLock(FileChannel channel) throws IOException {
    try {
      return channel.tryLock();
    } catch (OverlappingFileLockException sameJvm) {
      // HELD rules this out unless the directory was reached through another hard link; treat it as held
      return null;
    }
  }

  /** Releases the lock; the file stays. Safe to call more than once. */
  void release() {
    try {
      if (channel.isOpen()) {
        // emptied while still held, so no reader takes this pid for a live holder
        channel.truncate(0);
        lock.release();
      }
    } catch (IOException e) {
      // closing the channel below releases the lock anyway
    } finally {
      closeQuietly(channel);
      HELD.remove(directory);
    }
  }

  private static Path realPath(Path dataDirectory) {
    try {
      return dataDirectory.toRealPath();
    } catch (IOException e) {
      throw new StoreException(StoreErrorCode.UNAVAILABLE, "data directory " + dataDirectory.toAbsolutePath()
          + " cannot be resolved: " + e.getMessage(), e);
    }
  }

  private static void writeHolder(FileChannel channel, long pid, Instant startedAt) throws IOException {
    Instant since = startedAt.truncatedTo(ChronoUnit.SECONDS);
    byte[] holder = ("pid " + pid + ", since " + since + "\n").getBytes(StandardCharsets.UTF_8);
    channel.truncate(0);
    channel.write(ByteBuffer.wrap(holder), 0);
  }

  /** What the holder wrote, e.g. {@code pid 1234, since 2026-01-15T10:30:45Z}; "pid unknown" while it writes. */
  private static String readHolder(FileChannel channel) throws IOException {
    ByteBuffer buffer = ByteBuffer.allocate(MAX_HOLDER_BYTES);
    channel.read(buffer, 0);
    String holder = new String(buffer.array(), 0, buffer.position(), StandardCharsets.UTF_8).strip();
    return holder.startsWith("pid ") && holder.indexOf('\n') < 0 ? holder : "pid unknown";
  }

  private static void closeQuietly(FileChannel channel) {
    if (channel == null) {
      return;
    }
    try {
      channel.close();
    } catch (IOException ignored) {
      // nothing left to release: the OS drops the lock with the descriptor
    }
  }
}
