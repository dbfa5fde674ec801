package io.tycostream.triggers.config;

import io.tycostream.triggers.secret.MasterKeyFile;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * Where the master key that encrypts webhook secrets at rest comes from ({@code secrets}).
 *
 * @param masterKey          base64 of 32 bytes ({@code secrets.master_key}, usually from
 *                           {@code TYCOSTREAM_SECRETS__MASTER_KEY}); {@code null} to use {@code masterKeyFile}
 * @param masterKeyFile      the key file used when {@code masterKey} is not set, created with a new key at first start
 *                           when absent; never {@code null} ({@link #defaultKeyFile} in the data directory by default)
 * @param previousMasterKeys keys secrets may still be encrypted under (base64 each), read but never written with;
 *                           remove one once {@code --reencrypt-secrets} moved every secret to the current key
 */
public record SecretsConfig(String masterKey, Path masterKeyFile, List<String> previousMasterKeys) {

  public SecretsConfig {
    Objects.requireNonNull(masterKeyFile, "masterKeyFile");
    previousMasterKeys = List.copyOf(previousMasterKeys);
  }

  /** The key file of a data directory: {@value MasterKeyFile#DEFAULT_FILE_NAME} in it. */
  public static Path defaultKeyFile(Path dataDir) {
    return dataDir.resolve(MasterKeyFile.DEFAULT_FILE_NAME);
  }

  /** The key file in {@code dataDir}, no configured key, no previous keys. */
  public static SecretsConfig defaults(Path dataDir) {
    return new SecretsConfig(null, defaultKeyFile(dataDir), List.of());
  }

  /** Never shows the keys: configuration records end up in logs and exception messages. */
  @Override
  public String toString() {
    return "SecretsConfig[masterKey: " + (masterKey == null ? "not set" : "***") + ", masterKeyFile: " + masterKeyFile
        + ", previousMasterKeys: " + previousMasterKeys.size() + "]";
  }
}
