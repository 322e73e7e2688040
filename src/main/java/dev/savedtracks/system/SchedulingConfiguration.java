package dev.savedtracks.system;

import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.EnableScheduling;

/**
 * Turns on {@code @Scheduled} methods for every feature: they run on Boot's task
 * scheduler ({@code spring.task.scheduling.*}), which stops them at shutdown and whose
 * threads Boot's executor metrics measure. Features schedule small, regular work (the
 * sync progress, the warm-up, sweeps) instead of starting threads of their own.
 */
@Configuration(proxyBeanMethods = false)
@EnableScheduling
class SchedulingConfiguration {

}
