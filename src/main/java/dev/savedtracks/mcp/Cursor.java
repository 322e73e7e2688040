package dev.savedtracks.mcp;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

import dev.savedtracks.library.Library;

/**
 * Where the next page of a listing starts, bound to the version of the library copy it
 * was read from and to the question asked (the tool and its filters, sort and fields), so
 * that following cursors reads every track of one copy exactly once: when the library
 * changes between two calls, the next call is refused (the listing must start again)
 * rather than skipping or repeating tracks. It names no person and grants nothing: the
 * caller's key decides whose library is read.
 */
record Cursor(String version, int offset, String question) {

	private static final String PREFIX = "c1.";

	private static final String PAGING = "|cursor|offset|limit|fields|";

	/** What a cursor of {@code tool} with {@code arguments} is bound to. */
	static String question(String tool, Map<String, Object> arguments) {
		Map<String, Object> asked = new TreeMap<>();
		arguments.forEach((name, value) -> {
			if (!PAGING.contains("|" + name + "|")) {
				asked.put(name, value);
			}
		});
		try {
			byte[] digest = MessageDigest.getInstance("SHA-256")
				.digest((tool + asked).getBytes(StandardCharsets.UTF_8));
			return HexFormat.of().formatHex(digest, 0, 8);
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	static Cursor next(Library.Copy copy, int offset, String question) {
		return new Cursor(copy.version(), offset, question);
	}

	/**
	 * @throws TrackSearch.InvalidArguments when the text is no cursor of this tool and
	 * question
	 */
	static Cursor parse(String text, String question) {
		try {
			if (!text.startsWith(PREFIX)) {
				throw new IllegalArgumentException();
			}
			String[] parts = new String(Base64.getUrlDecoder().decode(text.substring(PREFIX.length())),
					StandardCharsets.UTF_8)
				.split("\\|", -1);
			Cursor cursor = new Cursor(parts[0], Integer.parseInt(parts[1]), parts[2]);
			if (parts.length != 3 || cursor.offset < 0) {
				throw new IllegalArgumentException();
			}
			if (!cursor.question.equals(question)) {
				throw new TrackSearch.InvalidArguments("This cursor belongs to another listing (other filters or "
						+ "sort): pass the same arguments as the call that returned it, or leave cursor out to "
						+ "start again.");
			}
			return cursor;
		}
		catch (IllegalArgumentException | IndexOutOfBoundsException ex) {
			if (ex instanceof TrackSearch.InvalidArguments invalid) {
				throw invalid;
			}
			throw new TrackSearch.InvalidArguments(
					"cursor is not one this server returned: pass nextCursor exactly, or leave it out to start again.");
		}
	}

	/** Whether the listing can go on in {@code copy}: the library has not changed. */
	boolean readsFrom(Library.Copy copy) {
		return this.version.equals(copy.version());
	}

	/** The tool error for a listing whose library changed between two calls. */
	static String changed(Library.Copy copy) {
		return "The library changed since this listing began (it was synced again at " + copy.syncedAt()
				+ "): following this cursor could skip or repeat tracks. Start the listing again without cursor. "
				+ "(error: stale-cursor)";
	}

	String text() {
		return PREFIX + Base64.getUrlEncoder()
			.withoutPadding()
			.encodeToString((this.version + "|" + this.offset + "|" + this.question).getBytes(StandardCharsets.UTF_8));
	}

}
