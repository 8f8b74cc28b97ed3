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
    private final OverrunWatchdog watchdog = new OverrunWatchdog(reports);
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
        watchdog.watch(Duration.ofMillis(1), overruns::incrementAndGet);
        Await.until(() -> overruns.get() == 1);
        Thread.sleep(50);

        watchdog.watch(Duration.ofMillis(5), overruns::incrementAndGet);

        Await.until(() -> overruns.get() == 2);
    }

    @Test
    void whileCallsEndInTimeTheWatchdogSleepsUntilTheEarliestDeadlineInsteadOfTicking() throws Exception {
        OverrunWatchdog.Watch longCall = watchdog.watch(Duration.ofSeconds(30), overruns::incrementAndGet);
        long before = watchdog.wakeUps();
        for (int i = 0; i < 200; i++) {
            // Later deadlines than the one the thread sleeps for: nothing to wake it for.
            assertThat(watchdog.watch(Duration.ofSeconds(60), overruns::incrementAndGet).endInTime()).isTrue();
            Thread.sleep(1);
        }

        assertThat(watchdog.wakeUps() - before).as("wake-ups over ~200 ms of calls ending in time").isLessThanOrEqualTo(3);
        assertThat(longCall.endInTime()).isTrue();
        assertThat(overruns.get()).isZero();
    }

    @Test
    void aCallWithAnEarlierDeadlineThanTheOnesWatchedIsReportedOnTime() throws Exception {
        OverrunWatchdog.Watch longCall = watchdog.watch(Duration.ofSeconds(30), () -> { });
        Thread.sleep(20);
        long started = System.nanoTime();

        watchdog.watch(Duration.ofMillis(10), overruns::incrementAndGet);

        Await.until(() -> overruns.get() == 1);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).as("reported at its own deadline, not the 30 s one")
                .isLessThan(Duration.ofSeconds(2));
        assertThat(longCall.endInTime()).isTrue();
    }
}
