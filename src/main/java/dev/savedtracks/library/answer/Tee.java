package dev.savedtracks.library.answer;

import java.io.IOException;
import java.io.OutputStream;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An answer on its way to its client, copied to a file as it goes ({@link AnswerFiles});
 * a failing copy is given up without failing the client's answer.
 */
final class Tee extends OutputStream {

	private static final Logger logger = LoggerFactory.getLogger(Tee.class);

	private final OutputStream client;

	private @Nullable OutputStream copy;

	private boolean copyFailed;

	private long written;

	Tee(OutputStream client, OutputStream copy) {
		this.client = client;
		this.copy = copy;
	}

	@Override
	public void write(int b) throws IOException {
		this.client.write(b);
		this.written++;
		if (this.copy != null) {
			try {
				this.copy.write(b);
			}
			catch (IOException ex) {
				giveUpCopy(ex);
			}
		}
	}

	@Override
	public void write(byte[] bytes, int offset, int length) throws IOException {
		this.client.write(bytes, offset, length);
		this.written += length;
		if (this.copy != null) {
			try {
				this.copy.write(bytes, offset, length);
			}
			catch (IOException ex) {
				giveUpCopy(ex);
			}
		}
	}

	@Override
	public void flush() throws IOException {
		this.client.flush();
	}

	/** Closes the copy only: the client's stream belongs to the server. */
	@Override
	public void close() throws IOException {
		this.client.flush();
	}

	void closeCopy() {
		if (this.copy != null) {
			try {
				this.copy.close();
			}
			catch (IOException ex) {
				giveUpCopy(ex);
			}
		}
	}

	private void giveUpCopy(IOException ex) {
		logger.warn("Could not keep an answer on disk: {}", ex.toString());
		this.copyFailed = true;
		OutputStream failed = this.copy;
		this.copy = null;
		try {
			if (failed != null) {
				failed.close();
			}
		}
		catch (IOException ignored) {
			// already given up
		}
	}

	boolean copyFailed() {
		return this.copyFailed;
	}

	long written() {
		return this.written;
	}

}
