package dev.modelgate.identity.bearer;

import com.nimbusds.jose.util.Resource;
import com.nimbusds.jose.util.ResourceRetriever;
import java.io.IOException;
import java.net.URL;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts the JWKS requests that reach the IdP, failed ones included, so a benchmark can prove the steady state makes
 * none. Thread-safe if the wrapped retriever is.
 */
final class CountingResourceRetriever implements ResourceRetriever {

    private final ResourceRetriever delegate;
    private final AtomicLong fetches = new AtomicLong();

    CountingResourceRetriever(ResourceRetriever delegate) {
        this.delegate = delegate;
    }

    @Override
    public Resource retrieveResource(URL url) throws IOException {
        fetches.incrementAndGet();
        return delegate.retrieveResource(url);
    }

    long fetches() {
        return fetches.get();
    }
}
