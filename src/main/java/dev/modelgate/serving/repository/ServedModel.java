package dev.modelgate.serving.repository;

import dev.modelgate.serving.runtime.LoadedModel;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One loaded model version of an endpoint, reference counted so that a version replaced by a reload stays
 * open until the requests already running on it have finished. The repository holds one reference while the
 * version is served; each request holds one more through {@link #tryAcquire()} / {@link #release()}.
 * Thread-safe.
 */
public final class ServedModel {
    private final String endpoint;
    private final String version;
    private final LoadedModel model;
    private final java.util.List<FileStamp> source;
    private final Duration loadTime;
    private final AtomicInteger references = new AtomicInteger(1);

    ServedModel(String endpoint, String version, LoadedModel model, java.util.List<FileStamp> source, Duration loadTime) {
        this.endpoint = endpoint;
        this.version = version;
        this.model = model;
        this.source = java.util.List.copyOf(source);
        this.loadTime = loadTime;
    }

    public String endpoint() {
        return endpoint;
    }

    public String version() {
        return version;
    }

    public LoadedModel model() {
        return model;
    }

    /** How long ONNX Runtime took to create this version's session (reading the file not included). */
    public Duration loadTime() {
        return loadTime;
    }

    /** The version's files as they were when loaded: its model file, and its tokenizer where it has one. */
    java.util.List<FileStamp> source() {
        return source;
    }

    /** Takes a reference for one request; false once the version has been retired and closed. */
    public boolean tryAcquire() {
        while (true) {
            int n = references.get();
            if (n <= 0) {
                return false;
            }
            if (references.compareAndSet(n, n + 1)) {
                return true;
            }
        }
    }

    /** Gives back a reference; the last one closes the model. */
    public void release() {
        if (references.decrementAndGet() == 0) {
            model.close();
        }
    }

    /** True while the model is open (served, or still finishing requests after retirement). */
    public boolean isOpen() {
        return references.get() > 0;
    }
}
