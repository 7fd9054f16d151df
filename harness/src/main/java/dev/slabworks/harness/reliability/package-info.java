/**
 * Reliability tooling (docs/DESIGN.md §20): the campaigns that prove a strategy's free/alloc paths safe. Every
 * one runs against any {@code AllocatorFactory} Guice finds, by name, in any validation mode.
 *
 * <ul>
 *   <li>{@code ./slabworks hostile [--strategy NAME|all] [--mode MODE|all] [--frees N]}: at least N
 *       invalid frees of every kind per strategy and mode ({@link HostileCommand}, engine
 *       {@code dev.slabworks.testkit.campaign.HostileFreeCampaign}); each campaign in its own JVM so a
 *       crash is counted. Exit 0 only with no accepted invalid free, wrong kind, false rejection,
 *       corrupted block, unexpected exception or JVM crash.</li>
 *   <li>{@code ./slabworks stress [--strategy NAME|all] [--threads N] [--blocks N]}: threads hand
 *       checksummed blocks to each other ({@link StressCommand}, engine
 *       {@code dev.slabworks.testkit.campaign.StressRunner}).</li>
 *   <li>{@code ./slabworks race [--strategy NAME|all] [--mode MODE|all]}: threads racing on one allocator
 *       ({@link RaceCommand}, engine {@code dev.slabworks.testkit.campaign.RaceCampaign}).</li>
 *   <li>{@code ./slabworks fuzz STRATEGY [--seconds N] [--mode MODE|all]} (in the launcher): a Jazzer
 *       campaign of the harness test {@code StrategyFuzzTest} over testkit's
 *       {@code AllocatorFuzzDriver}; a crash is saved under
 *       {@code harness/src/test/resources/dev/slabworks/harness/reliability/StrategyFuzzTestInputs/operations/}
 *       and replays in every test run.</li>
 * </ul>
 * The engines live in the testkit module (package {@code campaign}, which needs no test library) so that a
 * strategy module can run them in its own tests too.
 */
package dev.slabworks.harness.reliability;
