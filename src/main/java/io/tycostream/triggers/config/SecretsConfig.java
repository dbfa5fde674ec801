package io.tycostream.triggers.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import io.tycostream.triggers.secret.MasterKey;
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
    return Section.ABSENT.in(dataDir);
  }

  /**
   * The {@code secrets} section as written. Keys are checked (base64 of 32 bytes) when it is bound, so a bad one
   * stops the start naming its field, never its value; the key file's default needs {@code data_dir}, so
   * {@link #in(Path)} fills it.
   */
  record Section(String masterKey, String masterKeyFile, List<String> previousMasterKeys) {

    static final Section ABSENT = new Section(null, null, List.of());

    @JsonCreator
    static Section fromFile(@JsonProperty("master_key") String masterKey,
                            @JsonProperty("master_key_file") String masterKeyFile,
                            @JsonProperty("previous_master_keys") @JsonDeserialize(using = TextListDeserializer.class)
                            List<String> previousMasterKeys) {
      String key = masterKey == null || masterKey.isBlank() ? null : masterKey;
      if (key != null) {
        requireKey(key, "master_key");
      }
      if (masterKeyFile != null && masterKeyFile.isBlank()) {
        throw new InvalidFieldException("master_key_file", "must not be blank");
      }
      List<String> previous = previousMasterKeys == null ? List.of() : previousMasterKeys;
      for (int i = 0; i < previous.size(); i++) {
        requireKey(previous.get(i), "previous_master_keys[" + i + "]");
      }
      return new Section(key, masterKeyFile, previous);
    }

    private static void requireKey(String value, String field) {
      try {
        MasterKey.fromBase64(value);
      } catch (IllegalArgumentException invalid) {
        throw new InvalidFieldException(field, invalid.getMessage().replace("a master key ", ""));
      }
    }

    /** These settings, the key file in {@code dataDir} unless one is named. */
    SecretsConfig in(Path dataDir) {
      return new SecretsConfig(masterKey, masterKeyFile == null ? defaultKeyFile(dataDir) : Path.of(masterKeyFile),
          previousMasterKeys);
    }
  }

  /** Never shows the keys: configuration records end up in logs and exception messages. */
  @Override
  public String toString() {
    return "SecretsConfig[masterKey: " + (masterKey == null ? "not set" : "***") + ", masterKeyFile: " + masterKeyFile
        + ", previousMasterKeys: " + previousMasterKeys.size() + "]";
  }
}
