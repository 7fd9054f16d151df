/**
 * Knobs: every setting of slabworks, declared once, with default, meaning and environment name.
 *
 * <ul>
 *   <li>{@link dev.slabworks.api.knobs.Knob} is one knob; its constants are api's own (the parts strategies
 *       share). A module declares its own knobs in a {@link dev.slabworks.api.knobs.KnobTable} of its own, as
 *       constants of one class next to the code that reads them ({@code SuperSlabKnobs}, {@code HarnessKnobs},
 *       ...). A strategy lists them from {@code AllocatorFactory.knobs()}; nothing in api names them.</li>
 *   <li>{@link dev.slabworks.api.knobs.KnobRegistry} is one program's knobs: api's, the harness's and every
 *       strategy's (built-in or plugin), each with its declarer; one name is one knob, and a clash is refused.</li>
 *   <li>{@link dev.slabworks.api.knobs.Knobs} is a resolved, immutable snapshot: command line over system
 *       property over environment over default. Allocators read it once, when they are made.</li>
 * </ul>
 */
package dev.slabworks.api.knobs;
