package dev.savedtracks.library.answer;

import java.nio.file.Path;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

import dev.savedtracks.system.InvalidConfiguration;

/**
 * Where large streamed answers are kept on local disk for the next read of the same
 * library version ({@link AnswerFiles}):
 *
 * @param size disk space the kept answers may take on this replica
 * ({@code LIBRARY_ANSWER_FILES_SIZE}; 0 turns them off)
 * @param directory the directory under which each replica creates a private one of its
 * own, removed at shutdown ({@code LIBRARY_ANSWER_FILES_DIR}; the system's temporary
 * directory when unset)
 * @param minItems windows of fewer tracks are always read from the database
 */
@ConfigurationProperties("library.answer-files")
public record AnswerFilesSettings(@DefaultValue("1GB") DataSize size, @Nullable Path directory,
		@DefaultValue("1000") int minItems) {

	public AnswerFilesSettings {
		if (size.toBytes() < 0 || minItems < 1) {
			throw new InvalidConfiguration(
					"LIBRARY_ANSWER_FILES_SIZE must not be negative and library.answer-files.min-items must be at least 1",
					"Use a size such as 1GB, or 0 to read every answer from the database; leave min-items unset.");
		}
	}

	boolean enabled() {
		return this.size.toBytes() > 0;
	}

}
