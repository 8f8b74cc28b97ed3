package dev.modelgate.audit;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.Arrays;

/**
 * Reads the lines of a file from its end towards its start, reading the file in chunks, so the newest records
 * (and a torn tail) are found without reading the whole file. Not thread-safe; one per reading.
 */
final class ReverseLineReader {
    private static final int CHUNK = 64 * 1024;

    /**
     * One line, without its newline.
     *
     * @param start      offset of the line's first byte in the file
     * @param bytes      the line's bytes
     * @param terminated false only for bytes after the file's last newline: a line still being written, or torn
     */
    record Line(long start, byte[] bytes, boolean terminated) {
    }

    private final FileChannel channel;
    private boolean atEnd = true;
    /** Bytes before this offset have not been returned. */
    private long unread;
    /** The file's bytes [windowStart, unread) as far as they have been read: window[0 .. unread - windowStart). */
    private byte[] window = new byte[0];
    private long windowStart;

    /** Reads the first {@code size} bytes of {@code channel}, i.e. the file as it was when its size was taken. */
    ReverseLineReader(FileChannel channel, long size) {
        this.channel = channel;
        this.unread = size;
        this.windowStart = size;
    }

    /** The line before the last one returned (the file's last line first), or null at the start of the file. */
    Line previous() throws IOException {
        if (unread == 0) {
            return null;
        }
        boolean terminated = !atEnd || byteAt(unread - 1) == '\n';
        atEnd = false;
        long contentEnd = terminated ? unread - 1 : unread;
        long start = contentEnd;
        while (start > 0 && byteAt(start - 1) != '\n') {
            start--;
        }
        byte[] bytes = Arrays.copyOfRange(window, (int) (start - windowStart), (int) (contentEnd - windowStart));
        unread = start;
        return new Line(start, bytes, terminated);
    }

    private byte byteAt(long position) throws IOException {
        if (position < windowStart) {
            extendWindowBack();
        }
        return window[(int) (position - windowStart)];
    }

    private void extendWindowBack() throws IOException {
        long newStart = Math.max(0, windowStart - CHUNK);
        int kept = (int) (unread - windowStart);
        byte[] wider = new byte[(int) (windowStart - newStart) + kept];
        ByteBuffer buffer = ByteBuffer.wrap(wider, 0, (int) (windowStart - newStart));
        while (buffer.hasRemaining()) {
            if (channel.read(buffer, newStart + buffer.position()) < 0) {
                throw new EOFException("the file became shorter while it was read");
            }
        }
        System.arraycopy(window, 0, wider, (int) (windowStart - newStart), kept);
        window = wider;
        windowStart = newStart;
    }
}
