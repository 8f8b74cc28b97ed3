package dev.modelgate.serving.limits;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

class OverrunWatchdogTest {
    private final ExecutorService reports = Executors.newCachedThreadPool();
    private final OverrunWatchdog watchdog = new OverrunWatchdog(Duration.ofMillis(1), reports);
    private final AtomicInteger overruns = new AtomicInteger();

    @AfterEach
    void stop() {
        watchdog.close();
        reports.shutdownNow();
    }

    @Test
    void anOverrunIsReportedOnceAndTheLateEndSaysSo() throws Exception {
        OverrunWatchdog.Watch watch = watchdog.watch(Duration.ofMillis(5), overruns::incrementAndGet);

        Await.until(() -> overruns.get() == 1);
        Thread.sleep(20);

        assertThat(overruns.get()).as("reported once, not every tick").isEqualTo(1);
        assertThat(watch.endInTime()).isFalse();
        assertThat(watchdog.watching()).isZero();
    }

    @Test
    void aCallEndedInTimeIsNeverReported() throws Exception {
        OverrunWatchdog.Watch watch = watchdog.watch(Duration.ofMillis(20), overruns::incrementAndGet);

        assertThat(watch.endInTime()).isTrue();
        Thread.sleep(60);

        assertThat(overruns.get()).isZero();
        assertThat(watchdog.watching()).isZero();
    }

    @Test
    void anIdleWatchdogWakesForTheNextCall() throws Exception {
        // 200 quiet ticks of 1 ms and it parks; the next watch must still be seen.
        Thread.sleep(400);

        watchdog.watch(Duration.ofMillis(5), overruns::incrementAndGet);

        Await.until(() -> overruns.get() == 1);
    }
}
