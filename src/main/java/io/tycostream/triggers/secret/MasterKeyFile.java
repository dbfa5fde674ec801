package io.tycostream.triggers.secret;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The master key kept in a file: one line, the base64 of {@value MasterKey#KEY_BYTES} random bytes (the same form as
 * {@code secrets.master_key}, so it can be moved into the environment as it is).
 * <p>
 * {@link #readOrCreate} blocks on file I/O: call it on a worker thread or before Vert.x starts.
 */
public final class MasterKeyFile {

  /** File name of the key file in the data directory when none is configured. */
  public static final String DEFAULT_FILE_NAME = "master.key";

  static final String OWNER_ONLY = "rw-------";
  static final String OWNER_ONLY_DIRECTORY = "rwx------";
  private static final Logger LOG = LoggerFactory.getLogger(MasterKeyFile.class);

  private MasterKeyFile() {
  }

  /**
   * Reads the key in {@code file}; when the file does not exist, creates it (readable by its owner only) with a new
   * random key and says so loudly, because without that file the secrets sealed under it are lost.
   *
   * @throws IllegalArgumentException when the file does not hold a key, naming the file (never its content)
   * @throws UncheckedIOException     when it cannot be read or written
   */
  public static MasterKey readOrCreate(Path file) {
    try {
      if (Files.exists(file)) {
        return read(file);
      }
      return create(file);
    } catch (IOException e) {
      throw new UncheckedIOException("master key file " + file.toAbsolutePath() + " cannot be used: " + e, e);
    }
  }

  private static MasterKey read(Path file) throws IOException {
    warnIfOthersCanRead(file);
    String text = Files.readString(file, StandardCharsets.UTF_8);
    try {
      return MasterKey.fromBase64(text);
    } catch (IllegalArgumentException invalid) {
      throw new IllegalArgumentException("master key file " + file.toAbsolutePath() + " is invalid: "
          + invalid.getMessage(), invalid);
    }
  }

  private static MasterKey create(Path file) throws IOException {
    byte[] bytes = new byte[MasterKey.KEY_BYTES];
    new SecureRandom().nextBytes(bytes);
    MasterKey key = MasterKey.of(bytes);
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null && !Files.isDirectory(parent)) {
      // a directory created for the key (usually the data directory) is its owner's alone, as the store makes it
      Files.createDirectories(parent, ownerOnly(OWNER_ONLY_DIRECTORY));
    }
    try (FileChannel channel = FileChannel.open(file, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
        ownerOnly(OWNER_ONLY))) {
      channel.write(StandardCharsets.UTF_8.encode(key.toBase64() + "\n"));
      channel.force(true);
    } catch (FileAlreadyExistsException raced) {
      // another process created it between the check and here: use theirs
      return read(file);
    }
    LOG.warn("NEW MASTER KEY CREATED: back up this file now and keep it apart from database backups; without it "
        + "the webhook secrets in the store cannot be decrypted and every trigger must be re-created "
        + "[file: {}, key id: {}]", file.toAbsolutePath(), key.id());
    return key;
  }

  private static FileAttribute<?>[] ownerOnly(String permissions) {
    if (!FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
      return new FileAttribute<?>[0];
    }
    return new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(permissions))};
  }

  private static void warnIfOthersCanRead(Path file) throws IOException {
    Set<PosixFilePermission> permissions;
    try {
      permissions = Files.getPosixFilePermissions(file);
    } catch (UnsupportedOperationException noPosix) {
      return;
    }
    if (permissions.contains(PosixFilePermission.GROUP_READ) || permissions.contains(PosixFilePermission.OTHERS_READ)) {
      LOG.warn("master key file is readable by other users than its owner; restrict it with chmod 600 [file: {}]",
          file.toAbsolutePath());
    }
  }
}
