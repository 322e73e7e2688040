package dev.savedtracks.mcp;

import java.text.Normalizer;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Text as searches compare it: lower case without accents, so that "beyonce" finds
 * "Beyoncé" and "royksopp" "Röyksopp".
 */
final class TextFolding {

	private static final Pattern COMBINING_MARKS = Pattern.compile("\\p{M}+");

	/**
	 * Each letter of the Basic Multilingual Plane met so far, folded as {@link #slowFold}
	 * folds it (at most 65,536 short strings).
	 */
	private static final String[] FOLDED_LETTERS = new String[Character.MAX_VALUE + 1];

	private TextFolding() {
	}

	/**
	 * Lower case without accents: decomposed, combining marks dropped, and the few Latin
	 * letters that do not decompose (ø, æ, ß...) spelt the way people type them. Plain
	 * ASCII, most text, skips the decomposition. Text without combining marks or
	 * surrogates (nearly all the rest: accented letters, dashes, curly quotes) folds
	 * letter by letter, each letter folded once per process and remembered, because a
	 * search folds every title and name of the library on each call and a decomposition
	 * per name was most of its time.
	 */
	static String fold(String text) {
		boolean ascii = true;
		boolean letterByLetter = true;
		for (int i = 0; i < text.length() && letterByLetter; i++) {
			char c = text.charAt(i);
			ascii = ascii && c < 0x80;
			letterByLetter = !Character.isSurrogate(c) && !isMark(c);
		}
		if (ascii) {
			return text.toLowerCase(Locale.ROOT);
		}
		if (!letterByLetter) {
			return slowFold(text);
		}
		StringBuilder folded = new StringBuilder(text.length() + 4);
		for (int i = 0; i < text.length(); i++) {
			char c = text.charAt(i);
			String letter = FOLDED_LETTERS[c];
			if (letter == null) {
				// Computed the same by any thread: a race only computes it twice.
				letter = slowFold(String.valueOf(c));
				FOLDED_LETTERS[c] = letter;
			}
			folded.append(letter);
		}
		return folded.toString();
	}

	private static boolean isMark(char c) {
		int type = Character.getType(c);
		return type == Character.NON_SPACING_MARK || type == Character.COMBINING_SPACING_MARK
				|| type == Character.ENCLOSING_MARK;
	}

	private static String slowFold(String text) {
		String stripped = COMBINING_MARKS.matcher(Normalizer.normalize(text, Normalizer.Form.NFD)).replaceAll("");
		StringBuilder folded = new StringBuilder(stripped.length());
		for (int i = 0; i < stripped.length(); i++) {
			char c = Character.toLowerCase(stripped.charAt(i));
			switch (c) {
				case 'ø' -> folded.append('o');
				case 'æ' -> folded.append("ae");
				case 'œ' -> folded.append("oe");
				case 'ß' -> folded.append("ss");
				case 'đ', 'ð' -> folded.append('d');
				case 'ł' -> folded.append('l');
				case 'þ' -> folded.append("th");
				case 'ı' -> folded.append('i');
				default -> folded.append(c);
			}
		}
		return folded.toString();
	}

}
