package dev.savedtracks.library.answer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A replica's private directory of answer files (owner-only permissions), and the
 * clean-up of those that replicas which died without a graceful shutdown left behind (a
 * {@code kill -9}, a crash, an OOM kill). Each directory holds a lock file locked for as
 * long as its replica lives; the operating system drops the lock when the process dies,
 * however it dies. At start-up every directory of the same name pattern whose lock can be
 * taken (or that has none: written before there were locks) belongs to no live replica,
 * and is removed with its files: they hold library listings that "delete my data" could
 * no longer reach.
 */
final class AnswerDirectory implements AutoCloseable {

	private static final Logger log = LoggerFactory.getLogger(AnswerDirectory.class);

	static final String PREFIX = "saved-tracks-answers-";

	static final String LOCK = ".lock";

	/**
	 * The directories this process holds. Never checked through their lock files: on
	 * POSIX systems closing any channel to a file drops every lock the process holds on
	 * it, so checking one's own lock would release it (several application contexts share
	 * one JVM in tests).
	 */
	private static final java.util.Set<Path> OWN = java.util.concurrent.ConcurrentHashMap.newKeySet();

	private final Path path;

	private final FileChannel lockFile;

	private final FileLock lock;

	private AnswerDirectory(Path path, FileChannel lockFile, FileLock lock) {
		this.path = path;
		this.lockFile = lockFile;
		this.lock = lock;
	}

	/**
	 * Removes what dead replicas left under {@code parent}, then creates this replica's
	 * directory there, locked.
	 */
	static AnswerDirectory create(Path parent) throws IOException {
		Files.createDirectories(parent);
		removeLeftovers(parent);
		Path path = createPrivate(parent);
		FileChannel channel = FileChannel.open(path.resolve(LOCK), StandardOpenOption.CREATE_NEW,
				StandardOpenOption.WRITE);
		FileLock lock = channel.tryLock();
		if (lock == null) {
			channel.close();
			throw new IOException("Could not lock " + path);
		}
		OWN.add(path.toAbsolutePath().normalize());
		return new AnswerDirectory(path, channel, lock);
	}

	Path path() {
		return this.path;
	}

	/** Removes the directory and everything in it, and gives up its lock. */
	@Override
	public void close() {
		OWN.remove(this.path.toAbsolutePath().normalize());
		try {
			this.lock.release();
			this.lockFile.close();
		}
		catch (IOException ex) {
			log.warn("Could not release the lock of {}: {}", this.path, ex.toString());
		}
		removeAll(this.path);
	}

	static void removeLeftovers(Path parent) {
		AtomicLong bytes = new AtomicLong();
		int removed = 0;
		try (DirectoryStream<Path> children = Files.newDirectoryStream(parent, PREFIX + "*")) {
			for (Path child : children) {
				if (Files.isDirectory(child) && !OWN.contains(child.toAbsolutePath().normalize()) && !isLive(child)) {
					bytes.addAndGet(size(child));
					removeAll(child);
					removed++;
				}
			}
		}
		catch (IOException | UncheckedIOException ex) {
			log.warn("Could not look for answer files left by earlier runs in {}: {}", parent, ex.toString());
		}
		if (removed > 0) {
			log.info("Removed {} answer-file directories ({} bytes) left by replicas that stopped without a shutdown",
					removed, bytes.get());
		}
	}

	/** Whether a live replica (this process included) holds the directory's lock. */
	private static boolean isLive(Path directory) {
		Path lockPath = directory.resolve(LOCK);
		try (FileChannel channel = FileChannel.open(lockPath, StandardOpenOption.WRITE)) {
			FileLock lock = channel.tryLock();
			if (lock == null) {
				return true;
			}
			lock.release();
			return false;
		}
		catch (OverlappingFileLockException ex) {
			// Held by this very process: another context of it, alive.
			return true;
		}
		catch (NoSuchFileException ex) {
			return false;
		}
		catch (IOException ex) {
			log.warn("Could not check the lock of {}, leaving it: {}", directory, ex.toString());
			return true;
		}
	}

	private static Path createPrivate(Path parent) throws IOException {
		try {
			return Files.createTempDirectory(parent, PREFIX,
					PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
		}
		catch (UnsupportedOperationException ex) {
			return Files.createTempDirectory(parent, PREFIX);
		}
	}

	private static long size(Path directory) {
		try (Stream<Path> paths = Files.walk(directory)) {
			return paths.filter(Files::isRegularFile).mapToLong(path -> {
				try {
					return Files.size(path);
				}
				catch (IOException ex) {
					return 0;
				}
			}).sum();
		}
		catch (IOException | UncheckedIOException ex) {
			return 0;
		}
	}

	private static void removeAll(Path directory) {
		try (Stream<Path> paths = Files.walk(directory)) {
			paths.sorted(Comparator.reverseOrder()).forEach(path -> {
				try {
					Files.deleteIfExists(path);
				}
				catch (IOException ex) {
					log.warn("Could not delete {}: {}", path, ex.toString());
				}
			});
		}
		catch (IOException | UncheckedIOException ex) {
			log.warn("Could not remove {}: {}", directory, ex.toString());
		}
	}

}
